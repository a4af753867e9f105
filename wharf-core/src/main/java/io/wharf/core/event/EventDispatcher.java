package io.wharf.core.event;

import io.wharf.core.spi.EventLog;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Hands the outbox's events to each subscriber in sequence order, batch by batch, and stores the
 * subscriber's cursor after each batch it handled: at least once, and after a restart at most the last
 * batch again. A subscriber seen for the first time starts at the newest event. Polls every
 * {@code pollInterval}, and {@value #COALESCE_MILLIS} ms after a {@link #wake()} (the store calls it after each commit).
 * Events older than the retention that every subscriber has passed are deleted by {@link #sweep()}.
 *
 * <p>Nodes sharing a database each run a dispatcher over the same cursors: each delivery round starts from the stored
 * cursor (another node may have moved it), and a cursor only moves forward, so a node that finds it already moved
 * stops its round. Two nodes polling at the same moment may both hand out one batch: delivery stays at least once.
 */
public final class EventDispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.wharf.events.dispatcher");
    /**
     * Woken by a commit, the dispatcher waits this long before its round: under a write load one round (per
     * subscriber an events read, a call and a cursor commit) then serves the commits of those milliseconds, not each.
     */
    static final long COALESCE_MILLIS = 5;

    /**
     * How far one subscriber is behind, as the outbox holds it (for /metrics).
     *
     * @param events        events written after its stored cursor
     * @param oldestPending when the first of those was written; empty when it is caught up
     */
    public record Lag(String subscriber, long events, Optional<Instant> oldestPending) {
    }

    /** @param batchSize events per {@link EventSubscriber#handle} call, and rows per retention delete */
    public record Settings(Duration pollInterval, Duration retention, int batchSize) {
    }

    private final EventLog log;
    private final List<EventSubscriber> subscribers;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, Long> cursors = new HashMap<>(); // this dispatcher's thread only
    private final Semaphore signal = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private Instant nextSweep = Instant.MIN;

    public EventDispatcher(EventLog log, List<EventSubscriber> subscribers, Settings settings, Clock clock) {
        this.log = log;
        this.subscribers = List.copyOf(subscribers);
        this.settings = settings;
        this.clock = clock;
        this.thread = Thread.ofVirtual().name("event-dispatcher").unstarted(this::loop);
    }

    /**
     * Registers each subscriber's cursor (a new one at the newest event) before it returns, so that the
     * writes of a server started after it reach every subscriber; then polls, woken after each commit.
     */
    public synchronized void start() {
        subscribers.forEach(s -> cursorOf(s.name()));
        log.onEventsWritten(this::wake);
        thread.start();
    }

    /** Makes the next poll happen now rather than after the interval. */
    public void wake() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    private void loop() {
        while (running) {
            try {
                dispatch();
                if (!clock.instant().isBefore(nextSweep)) {
                    sweep();
                    nextSweep = clock.instant().plus(sweepInterval());
                }
                if (signal.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    Thread.sleep(COALESCE_MILLIS); // the commits of this moment too, in one round
                }
                signal.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) { // the store failing: try again at the next poll
                LOG.log(Level.WARNING, "event dispatch failed; retrying", e);
                pause();
            }
        }
    }

    /** Delivers everything pending to every subscriber; returns the number of events handed out. */
    public synchronized int dispatch() {
        int delivered = 0;
        for (EventSubscriber s : subscribers) {
            delivered += deliver(s);
        }
        return delivered;
    }

    /** Batch after batch until the subscriber is caught up or fails (its batch then comes again next poll). */
    private int deliver(EventSubscriber subscriber) {
        int delivered = 0;
        cursors.remove(subscriber.name()); // read the stored cursor: another node may have moved it
        while (running) {
            long cursor = cursorOf(subscriber.name());
            List<StoredEvent> batch = log.eventsAfter(cursor, settings.batchSize());
            if (batch.isEmpty() || !handled(subscriber, batch)) {
                return delivered;
            }
            long last = batch.getLast().sequence();
            delivered += batch.size();
            if (!log.saveCursor(subscriber.name(), last)) {
                return delivered; // another node got there first: its round goes on, this one ends
            }
            cursors.put(subscriber.name(), last);
        }
        return delivered;
    }

    private static boolean handled(EventSubscriber subscriber, List<StoredEvent> batch) {
        try {
            subscriber.handle(batch);
            return true;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "event subscriber " + subscriber.name() + " failed on events "
                    + batch.getFirst().sequence() + ".." + batch.getLast().sequence() + "; retrying", e);
            return false;
        }
    }

    private long cursorOf(String subscriber) {
        Long known = cursors.get(subscriber);
        if (known != null) {
            return known;
        }
        long stored = log.cursor(subscriber).orElseGet(() -> {
            long head = log.lastSequence();
            log.saveCursor(subscriber, head);
            return head;
        });
        cursors.put(subscriber, stored);
        return stored;
    }

    /** The subscribers' names, in delivery order. */
    public List<String> subscriberNames() {
        return subscribers.stream().map(EventSubscriber::name).toList();
    }

    /**
     * Each subscriber's lag, read from the outbox itself (the stored cursors every node shares), not from this
     * dispatcher's thread: three small queries per subscriber, for a scrape to cache.
     */
    public List<Lag> lag() {
        long head = log.lastSequence();
        return subscribers.stream().map(s -> {
            long cursor = log.cursor(s.name()).orElse(head);
            Optional<Instant> oldest = cursor >= head ? Optional.empty()
                    : log.eventsAfter(cursor, 1).stream().findFirst().map(StoredEvent::at);
            return new Lag(s.name(), Math.max(0, head - cursor), oldest);
        }).toList();
    }

    /**
     * Deletes, in batches, the events older than the retention that every subscriber has handled; returns
     * how many. Run by the dispatcher about every {@code min(retention, 1 h)}; a job may call it too.
     */
    public synchronized int sweep() {
        long upTo = subscribers.stream().mapToLong(s -> cursorOf(s.name())).min().orElse(Long.MAX_VALUE);
        Instant before = clock.instant().minus(settings.retention());
        int total = 0;
        int deleted;
        do {
            deleted = log.deleteEvents(before, upTo, settings.batchSize());
            total += deleted;
        } while (deleted == settings.batchSize() && running);
        if (total > 0) {
            LOG.log(Level.INFO, "events: deleted " + total + " events older than " + before);
        }
        return total;
    }

    private Duration sweepInterval() {
        Duration hour = Duration.ofHours(1);
        return settings.retention().compareTo(hour) < 0 ? settings.retention() : hour;
    }

    private void pause() {
        try {
            Thread.sleep(settings.pollInterval());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
