package io.wharf.core.usage;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.PullTally;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts pulls and bytes pulled per repository and UTC day in memory, on the request's thread (a map lookup and an
 * atomic add: no lock, no allocation once the repository was seen that day), and {@link #flush writes} them to the
 * store's counters in one transaction per flush. Each add is flushed exactly once ({@code getAndSet(0)}); what a
 * kill -9 loses is what was counted since the last flush.
 */
public final class PullCounter {
    /** Days kept in memory: today's and yesterday's (a pull counted just before midnight is flushed after it). */
    private static final int DAYS_KEPT = 2;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private record Counts(AtomicLong pulls, AtomicLong bytes) {
        Counts() {
            this(new AtomicLong(), new AtomicLong());
        }
    }

    /** One pulled image of one interval, for {@link PullEvents#EVERY}. */
    private record Pulled(String account, String repository, Digest digest) {
    }

    private final Clock clock;
    private final PullEvents events;
    /** epoch day → account → repository name → counts. */
    private final Map<Long, Map<String, Map<String, Counts>>> days = new ConcurrentHashMap<>();
    private final Map<Pulled, Long> pulled = new ConcurrentHashMap<>();

    public PullCounter(Clock clock, PullEvents events) {
        this.clock = clock;
        this.events = events;
    }

    /** Whether {@link #pull} uses its digest (for {@link PullEvents#EVERY}); else the caller may pass null. */
    public boolean wantsDigests() {
        return events == PullEvents.EVERY;
    }

    /** A successful manifest GET: one pull, of {@code digest} (null when not known), and its bytes. */
    public void pull(String account, String repository, Digest digest, long bytes) {
        Counts c = counts(account, repository);
        c.pulls().incrementAndGet();
        c.bytes().addAndGet(bytes);
        if (events == PullEvents.EVERY && digest != null) {
            pulled.merge(new Pulled(account, repository, digest), 1L, Long::sum);
        }
    }

    /** A blob GET: bytes pulled, not a pull. */
    public void bytes(String account, String repository, long bytes) {
        counts(account, repository).bytes().addAndGet(bytes);
    }

    private Counts counts(String account, String repository) {
        long day = Math.floorDiv(clock.millis(), MILLIS_PER_DAY);
        Map<String, Counts> repositories = days.computeIfAbsent(day, d -> new ConcurrentHashMap<>())
                .computeIfAbsent(account, a -> new ConcurrentHashMap<>());
        Counts c = repositories.get(repository);
        return c != null ? c : repositories.computeIfAbsent(repository, r -> new Counts());
    }

    /**
     * Adds what was counted since the last flush to the store, with the {@link PullEvents#EVERY} events, in one
     * transaction. When it fails the taken counts go back, to be flushed next time. Returns the pulls flushed.
     */
    public long flush(MetadataStore store) {
        List<PullTally> tallies = take();
        List<Map.Entry<Pulled, Long>> images = takePulled();
        if (tallies.isEmpty() && images.isEmpty()) {
            return 0;
        }
        try {
            store.inTransaction("flush pull counts", unit -> {
                store.addPulls(tallies);
                images.forEach(e -> unit.emit(new RegistryEvent.ImagePulled(e.getKey().account(),
                        new RepositoryName(e.getKey().repository()), e.getKey().digest(), e.getValue()), clock.instant()));
                return null;
            });
        } catch (RuntimeException e) {
            giveBack(tallies, images);
            throw e;
        }
        expireDays();
        return tallies.stream().mapToLong(PullTally::pulls).sum();
    }

    private List<PullTally> take() {
        List<PullTally> out = new ArrayList<>();
        days.forEach((day, accounts) -> accounts.forEach((account, repositories) -> repositories.forEach((name, c) -> {
            long pulls = c.pulls().getAndSet(0);
            long bytes = c.bytes().getAndSet(0);
            if (pulls != 0 || bytes != 0) {
                out.add(new PullTally(account, new RepositoryName(name), LocalDate.ofEpochDay(day), pulls, bytes));
            }
        })));
        return out;
    }

    private List<Map.Entry<Pulled, Long>> takePulled() {
        List<Map.Entry<Pulled, Long>> out = new ArrayList<>();
        for (Pulled key : List.copyOf(pulled.keySet())) {
            Long count = pulled.remove(key); // atomic with merge: a pull counts here or in the next interval
            if (count != null) {
                out.add(Map.entry(key, count));
            }
        }
        return out;
    }

    private void giveBack(List<PullTally> tallies, List<Map.Entry<Pulled, Long>> images) {
        for (PullTally t : tallies) {
            Counts c = days.computeIfAbsent(t.day().toEpochDay(), d -> new ConcurrentHashMap<>())
                    .computeIfAbsent(t.account(), a -> new ConcurrentHashMap<>())
                    .computeIfAbsent(t.repository().value(), r -> new Counts());
            c.pulls().addAndGet(t.pulls());
            c.bytes().addAndGet(t.bytes());
        }
        images.forEach(e -> pulled.merge(e.getKey(), e.getValue(), Long::sum));
    }

    /** Drops the maps of days before yesterday: nobody counts into them any more. */
    private void expireDays() {
        long oldest = Math.floorDiv(clock.millis(), MILLIS_PER_DAY) - DAYS_KEPT + 1;
        for (Iterator<Long> it = days.keySet().iterator(); it.hasNext(); ) {
            if (it.next() < oldest) {
                it.remove();
            }
        }
    }
}
