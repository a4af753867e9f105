package io.wharf.core.event;

import io.wharf.core.spi.EventLog;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
 * <p>Subscribers are grouped in lanes, each with its own virtual thread, wake signal and cursors: one lane for all
 * those that do not block, each batch read once for them all, and a lane of its own for each subscriber that
 * {@linkplain EventSubscriber#ownThread() may block} (a webhook waiting on its receiver), so that it holds up no other.
 *
 * <p>Nodes sharing a database each run a dispatcher over the same cursors: each delivery round starts from the stored
 * cursor (another node may have moved it), and a cursor only moves forward, so a node that finds it already moved
 * stops its round. Two nodes polling at the same moment may both hand out one batch: delivery stays at least once.
 * A lane of its own is exclusive in a cluster ({@link Hold}): only the node holding its subscriber's cursor runs it,
 * so that two nodes do not both send one batch of webhooks; another takes over once a dead holder's hold expired.
 */
public final class EventDispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.wharf.events.dispatcher");
    /**
     * Woken by a commit, a lane waits this long before its round: under a write load one round (per
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

    /**
     * How a cluster node holds its own-thread lanes ({@link EventLog#holdCursor}): as {@code holder} (the node's id),
     * for {@code length}, renewed every third of it. None for the only process using the outbox.
     */
    public record Hold(String holder, Duration length) {
    }

    private final EventLog log;
    private final List<EventSubscriber> subscribers;
    private final Settings settings;
    private final Clock clock;
    private final Hold hold; // null: nothing to hold, no other process hands out these events
    private final List<Lane> lanes = new ArrayList<>(); // the shared lane first: its thread also sweeps
    private volatile boolean running = true;
    private Instant nextSweep = Instant.MIN; // the shared lane's thread only

    /** For the only process using the outbox: no lane is held. */
    public EventDispatcher(EventLog log, List<EventSubscriber> subscribers, Settings settings, Clock clock) {
        this(log, subscribers, settings, null, clock);
    }

    /** @param hold how a cluster node holds its own-thread lanes; null for the only process using the outbox */
    public EventDispatcher(EventLog log, List<EventSubscriber> subscribers, Settings settings, Hold hold, Clock clock) {
        this.log = log;
        this.subscribers = List.copyOf(subscribers);
        this.settings = settings;
        this.hold = hold;
        this.clock = clock;
        lanes.add(new Lane("event-dispatcher", this.subscribers.stream().filter(s -> !s.ownThread()).toList(), false));
        this.subscribers.stream().filter(EventSubscriber::ownThread)
                .forEach(s -> lanes.add(new Lane("event-dispatcher-" + s.name(), List.of(s), hold != null)));
    }

    /**
     * Registers each subscriber's cursor (a new one at the newest event) before it returns, so that the
     * writes of a server started after it reach every subscriber; then polls, woken after each commit.
     */
    public synchronized void start() {
        lanes.forEach(Lane::register);
        log.onEventsWritten(this::wake);
        lanes.forEach(lane -> lane.thread.start());
    }

    /** Makes every lane's next poll happen now rather than after the interval. */
    public void wake() {
        lanes.forEach(Lane::wake);
    }

    /**
     * Delivers everything pending to every subscriber, a round of each lane in turn in the caller's thread; returns
     * the number of events handed out. Waits for a lane whose own thread is in its round.
     */
    public int dispatch() {
        int delivered = 0;
        for (Lane lane : lanes) {
            delivered += lane.round();
        }
        return delivered;
    }

    /** The subscribers' names, in the order given. */
    public List<String> subscriberNames() {
        return subscribers.stream().map(EventSubscriber::name).toList();
    }

    /**
     * Each subscriber's lag, read from the outbox itself (the stored cursors every node shares), not from the
     * lanes' threads: three small queries per subscriber, for a scrape to cache.
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
     * Deletes, in batches, the events older than the retention that every subscriber (of every lane) has handled;
     * returns how many. Run by the shared lane about every {@code min(retention, 1 h)}; a job may call it too.
     */
    public synchronized int sweep() {
        // the stored cursors, not the lanes' own: safe to read while they run, and never ahead of what was handled
        long upTo = subscribers.stream().mapToLong(s -> storedCursor(s.name())).min().orElse(Long.MAX_VALUE);
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

    private void sweepWhenDue() {
        if (!clock.instant().isBefore(nextSweep)) {
            sweep();
            Duration hour = Duration.ofHours(1);
            nextSweep = clock.instant().plus(settings.retention().compareTo(hour) < 0 ? settings.retention() : hour);
        }
    }

    /** The subscriber's stored cursor; one seen for the first time is registered at the newest event. */
    private long storedCursor(String subscriber) {
        return log.cursor(subscriber).orElseGet(() -> {
            long head = log.lastSequence();
            log.saveCursor(subscriber, head);
            return head;
        });
    }

    @Override
    public void close() {
        running = false;
        lanes.forEach(lane -> lane.thread.interrupt());
        Instant deadline = Instant.now().plusSeconds(10); // for all lanes together
        try {
            for (Lane lane : lanes) {
                if (lane.thread.getState() != Thread.State.NEW) { // a dispatcher never started has nothing to wait for
                    lane.thread.join(Duration.between(Instant.now(), deadline));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.forEach(Lane::release);
    }

    /**
     * Subscribers handed their batches by one thread. Its round and a caller's {@link #dispatch()} take turns on the
     * lane's lock, not the dispatcher's: a lane blocked in a subscriber holds up no other.
     */
    private final class Lane {
        private final List<EventSubscriber> members;
        private final Map<String, Long> cursors = new HashMap<>(); // under this lane's lock
        private final Semaphore signal = new Semaphore(0);
        private final Thread thread;
        private final long coalesce;
        private final boolean held; // only while this node holds its subscriber's cursor (a cluster's own-thread lane)
        private Instant renewAt; // under this lane's lock: when the hold is renewed; null: not holding
        private Instant nextTry = Instant.MIN; // under this lane's lock: when to try for a hold another node has

        Lane(String threadName, List<EventSubscriber> members, boolean held) {
            this.members = members;
            this.held = held;
            this.coalesce = Math.max(COALESCE_MILLIS, members.stream().mapToLong(EventSubscriber::coalesceMillis).max().orElse(0));
            this.thread = Thread.ofVirtual().name(threadName).unstarted(this::loop);
        }

        synchronized void register() {
            members.forEach(s -> cursorOf(s.name()));
        }

        void wake() {
            if (signal.availablePermits() == 0) {
                signal.release();
            }
        }

        private void loop() {
            try {
                while (running) {
                    if (passed()) {
                        if (signal.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                            Thread.sleep(coalesce); // the commits of this moment too, in one round
                        }
                        signal.drainPermits();
                    } else {
                        Thread.sleep(settings.pollInterval()); // the store failing: try again after a pause
                    }
                }
            } catch (InterruptedException e) {
                // closing
            }
        }

        /** A round, and on the shared lane a sweep when due; false when the store failed. */
        private boolean passed() {
            try {
                round();
                if (this == lanes.getFirst()) {
                    sweepWhenDue();
                }
                return true;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event dispatch (" + thread.getName() + ") failed; retrying", e);
                return false;
            }
        }

        /**
         * Delivers everything pending to the lane's subscribers; returns the number of events handed out. Each batch
         * is read (and decoded) once for all of them: from the lowest cursor among them, each given the events after
         * its own. A subscriber that fails, or whose cursor another node moved first, is left out for the rest of the
         * round (its batch comes again next round); the others go on.
         */
        synchronized int round() {
            members.forEach(s -> cursors.remove(s.name())); // read the stored cursors: another node may have moved them
            List<EventSubscriber> active = new ArrayList<>(members);
            int delivered = 0;
            while (running && !active.isEmpty() && holding()) {
                long from = active.stream().mapToLong(s -> cursorOf(s.name())).min().orElseThrow();
                List<StoredEvent> batch = log.eventsAfter(from, settings.batchSize());
                if (batch.isEmpty()) {
                    break;
                }
                for (Iterator<EventSubscriber> it = active.iterator(); it.hasNext(); ) {
                    Handed handed = deliver(it.next(), batch);
                    delivered += handed.events();
                    if (!handed.goOn()) {
                        it.remove();
                    }
                }
            }
            return delivered;
        }

        /**
         * Whether this node may run the lane now: always, unless it is {@link #held}, when it takes or renews its hold
         * on the subscriber's cursor once a third of the hold has passed. While another node holds it, it asks again
         * only every poll interval: a live holder renews, a dead one's hold expires, one closing releases it.
         */
        private boolean holding() {
            Instant now = clock.instant();
            if (!held || (renewAt != null && now.isBefore(renewAt))) {
                return true;
            }
            if (renewAt == null && now.isBefore(nextTry)) {
                return false;
            }
            String subscriber = members.getFirst().name();
            cursorOf(subscriber); // the hold is on the stored cursor: registered first
            if (log.holdCursor(subscriber, hold.holder(), now, now.plus(hold.length()))) {
                renewAt = now.plus(hold.length().dividedBy(3));
                return true;
            }
            renewAt = null;
            nextTry = now.plus(settings.pollInterval());
            return false;
        }

        /**
         * Gives the hold up, so that another node takes the lane over at once rather than after it expired; not while
         * the lane's thread is still in a round (closing timed out waiting for it): the hold then expires.
         */
        void release() {
            if (!thread.isAlive()) {
                releaseHeld();
            }
        }

        private synchronized void releaseHeld() {
            if (renewAt == null) {
                return;
            }
            renewAt = null;
            try {
                log.releaseCursor(members.getFirst().name(), hold.holder());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event dispatch (" + thread.getName() + "): releasing its hold failed; it expires", e);
            }
        }

        /** Hands the subscriber the batch's events after its cursor, and stores its cursor after them. */
        private Handed deliver(EventSubscriber subscriber, List<StoredEvent> batch) {
            long cursor = cursorOf(subscriber.name());
            List<StoredEvent> mine = batch.stream().filter(e -> e.sequence() > cursor).toList();
            if (mine.isEmpty()) {
                return new Handed(0, true);
            }
            if (!handled(subscriber, mine)) {
                return new Handed(0, false);
            }
            long last = mine.getLast().sequence();
            if (!log.saveCursor(subscriber.name(), last)) {
                return new Handed(mine.size(), false); // another node got there first: its round goes on, not this one
            }
            cursors.put(subscriber.name(), last);
            return new Handed(mine.size(), true);
        }

        private long cursorOf(String subscriber) {
            return cursors.computeIfAbsent(subscriber, EventDispatcher.this::storedCursor);
        }
    }

    /** What a subscriber was handed from one batch, and whether its round goes on. */
    private record Handed(int events, boolean goOn) {
    }

    private static boolean handled(EventSubscriber subscriber, List<StoredEvent> batch) {
        try {
            subscriber.handle(batch);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the batch comes again after a restart
            return false;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "event subscriber " + subscriber.name() + " failed on events "
                    + batch.getFirst().sequence() + ".." + batch.getLast().sequence() + "; retrying", e);
            return false;
        }
    }
}
