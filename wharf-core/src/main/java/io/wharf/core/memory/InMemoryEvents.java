package io.wharf.core.memory;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** The outbox and cursors of {@link InMemoryMetadataStore}; guarded by the store's monitor. */
final class InMemoryEvents {
    private record Hold(String holder, Instant until) {
    }

    private final TreeMap<Long, StoredEvent> events = new TreeMap<>();
    private final Map<String, Long> cursors = new HashMap<>();
    private final Map<String, Hold> holds = new HashMap<>();
    private long nextSequence = 1;

    void append(RegistryEvent event, Instant at) {
        long sequence = nextSequence++;
        events.put(sequence, new StoredEvent(sequence, at, event));
    }

    /** Where the next event goes: {@link #discardFrom} undoes everything appended since. */
    long mark() {
        return nextSequence;
    }

    void discardFrom(long mark) {
        events.tailMap(mark, true).clear();
        nextSequence = mark;
    }

    List<StoredEvent> after(long sequence, int limit) {
        return events.tailMap(sequence, false).values().stream().limit(limit).toList();
    }

    long last() {
        return events.isEmpty() ? 0 : events.lastKey();
    }

    OptionalLong cursor(String subscriber) {
        Long c = cursors.get(subscriber);
        return c == null ? OptionalLong.empty() : OptionalLong.of(c);
    }

    boolean saveCursor(String subscriber, long sequence) {
        Long at = cursors.get(subscriber);
        if (at != null && at >= sequence) {
            return false;
        }
        cursors.put(subscriber, sequence);
        return true;
    }

    boolean holdCursor(String subscriber, String holder, Instant now, Instant until) {
        Hold h = holds.get(subscriber);
        if (!cursors.containsKey(subscriber) || (h != null && !h.holder().equals(holder) && !h.until().isBefore(now))) {
            return false;
        }
        holds.put(subscriber, new Hold(holder, until));
        return true;
    }

    void releaseCursor(String subscriber, String holder) {
        holds.computeIfPresent(subscriber, (k, h) -> h.holder().equals(holder) ? null : h);
    }

    int delete(Instant before, long upTo, int limit) {
        List<Long> gone = new ArrayList<>();
        Iterator<StoredEvent> it = events.headMap(upTo, true).values().iterator();
        while (it.hasNext() && gone.size() < limit) {
            StoredEvent e = it.next();
            if (e.at().isBefore(before)) {
                gone.add(e.sequence());
            }
        }
        gone.forEach(events::remove);
        return gone.size();
    }
}
