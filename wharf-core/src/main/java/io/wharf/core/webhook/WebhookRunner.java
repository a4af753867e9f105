package io.wharf.core.webhook;

import io.wharf.core.spi.WebhookIndex;
import io.wharf.core.spi.WebhookIndex.Attempt;
import io.wharf.core.spi.WebhookIndex.Delivery;
import io.wharf.core.spi.WebhookIndex.Finish;
import io.wharf.core.spi.WebhookIndex.State;
import io.wharf.core.spi.WebhookIndex.Subscription;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Sends due deliveries: each claimed by compare-and-set under a lease (twice the timeout), posted on its own
 * virtual thread, at most {@code concurrency} at once and {@code perSubscription} per subscription, so a slow or
 * dead receiver holds a few slots of its own and nobody else's. 2xx is DELIVERED; anything else is tried again
 * after an exponential backoff, and DEAD after {@code maxAttempts}. A run lasts while there is due work or a request
 * in flight, picking up what the subscriber queues meanwhile.
 */
public final class WebhookRunner {
    private static final System.Logger LOG = System.getLogger("io.wharf.webhooks");
    private static final int CLAIM_BATCH = 100;
    private static final long IDLE_WAIT_MILLIS = 50;
    /** Under load, the claims and outcomes of up to this long go to the database together: two commits a round, not per delivery. */
    private static final long COALESCE_MILLIS = 10;
    /** A run that sent something ends after this long with nothing due or in flight: retries due together usually
     *  come within it, and are then sent without a new wake-up, lease and start. A run that finds nothing due ends at once. */
    private static final long LINGER_NANOS = 300_000_000L;

    /** What a run did. */
    public record Counts(int delivered, int dead, int retried) {
    }

    private final WebhookIndex index;
    private final WebhookTransport transport;
    private final WebhookSettings settings;
    private final String nodeId;
    private final Clock clock;
    /** The run going on in this process, for {@link #nudge}. */
    private volatile Run current;

    public WebhookRunner(WebhookIndex index, WebhookTransport transport, WebhookSettings settings, String nodeId, Clock clock) {
        this.index = index;
        this.transport = transport;
        this.settings = settings;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** Wakes the run going on, if any, from its wait: deliveries were just queued. */
    public void nudge() {
        Run run = current;
        if (run != null) {
            run.progress.release();
        }
    }

    public Counts runDue(BooleanSupplier cancelled) {
        Run run = new Run();
        current = run;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            long idleSince = System.nanoTime();
            boolean sent = false;
            while (!cancelled.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                if (run.dispatch(pool) > 0 || run.inFlight.get() > 0) {
                    idleSince = System.nanoTime();
                    sent = true;
                } else if (!sent || System.nanoTime() - idleSince >= LINGER_NANOS) {
                    break; // nothing due at all (the usual run: first attempts go straight from the outbox), or idle long enough
                }
                run.awaitProgress();
            }
            run.awaitAll();
        } finally {
            current = null;
        }
        run.record();
        index.deleteDelivered(clock.instant().minus(settings.retention()), 1000);
        return new Counts(run.delivered.get(), run.dead.get(), run.retried.get());
    }

    /** One run's slots and counters. */
    private final class Run {
        final Semaphore slots = new Semaphore(settings.concurrency());
        final Map<String, AtomicInteger> perSubscription = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger dead = new AtomicInteger();
        final AtomicInteger retried = new AtomicInteger();
        final Semaphore progress = new Semaphore(0);
        /** Attempts sent and not yet recorded: the run's thread records them together, one transaction per round. */
        final Queue<Finish> finished = new ConcurrentLinkedQueue<>();

        /** Claims (in one transaction) and starts what is due and fits the caps; returns how many started. */
        int dispatch(ExecutorService pool) {
            record();
            int free = slots.availablePermits();
            if (free == 0) {
                return 0;
            }
            Instant now = clock.instant();
            List<Long> wanted = new ArrayList<>();
            Map<String, Integer> planned = new HashMap<>();
            // no more rows than free slots: under a push load a round is a few deliveries, and rows read are bodies
            for (Delivery d : index.claimable(now, busy(), Math.min(CLAIM_BATCH, free))) {
                int mine = perSubscription.computeIfAbsent(d.subscriptionId(), k -> new AtomicInteger()).get()
                        + planned.getOrDefault(d.subscriptionId(), 0);
                if (mine < settings.perSubscription() && slots.tryAcquire()) {
                    planned.merge(d.subscriptionId(), 1, Integer::sum);
                    wanted.add(d.id());
                }
            }
            List<Delivery> claimed = wanted.isEmpty() ? List.of()
                    : index.claim(wanted, nodeId, now, now.plus(settings.timeout().multipliedBy(2)));
            slots.release(wanted.size() - claimed.size());
            Map<String, Optional<Subscription>> subscriptions = new HashMap<>(); // read once a round, not per delivery
            for (Delivery d : claimed) {
                AtomicInteger mine = perSubscription.get(d.subscriptionId());
                Optional<Subscription> s = subscriptions.computeIfAbsent(d.subscriptionId(), index::subscription);
                mine.incrementAndGet();
                inFlight.incrementAndGet();
                pool.submit(() -> sendAndRelease(d, s, mine));
            }
            return claimed.size();
        }

        private Set<String> busy() {
            Set<String> out = new HashSet<>();
            perSubscription.forEach((id, n) -> {
                if (n.get() >= settings.perSubscription()) {
                    out.add(id);
                }
            });
            return out;
        }

        private void sendAndRelease(Delivery d, Optional<Subscription> s, AtomicInteger mine) {
            try {
                Finish end = send(d, s);
                if (end != null) {
                    finished.add(end);
                } else {
                    dead.incrementAndGet(); // its subscription was deleted meanwhile, and its rows with it
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "webhooks: delivery " + d.id() + " of " + d.subscriptionId()
                        + " failed; it is sent again after its lease", e);
            } finally {
                mine.decrementAndGet();
                inFlight.decrementAndGet();
                slots.release();
                progress.release();
            }
        }

        /** Records the attempts finished so far in one transaction, and counts them (a store failure: sent again). */
        void record() {
            List<Finish> batch = new ArrayList<>();
            for (Finish f = finished.poll(); f != null; f = finished.poll()) {
                batch.add(f);
            }
            if (batch.isEmpty()) {
                return;
            }
            Set<Long> recorded;
            try {
                recorded = index.finishAttempts(nodeId, batch);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "webhooks: recording " + batch.size()
                        + " attempts failed; those deliveries are sent again after their lease", e);
                return;
            }
            for (Finish f : batch) {
                count(f, recorded.contains(f.id()));
            }
        }

        private void count(Finish f, boolean recorded) {
            if (!recorded) {
                LOG.log(System.Logger.Level.INFO, "webhooks: delivery {0} was taken over by another node while being sent", f.id());
            }
            switch (f.state()) {
                case DELIVERED -> delivered.incrementAndGet();
                case DEAD -> dead.incrementAndGet();
                case PENDING -> retried.incrementAndGet();
            }
        }

        /**
         * Until an attempt ended (or the idle wait is over), then a moment more, so that a round handles several; not
         * longer than until nothing is in flight: a fast receiver is not held to one round per moment, so deliveries
         * keep up with a push load (a backlog drained later takes the CPU of whatever runs then).
         */
        void awaitProgress() {
            try {
                if (!progress.tryAcquire(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    return;
                }
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COALESCE_MILLIS);
                while (inFlight.get() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !progress.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                        break;
                    }
                }
                progress.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitAll() {
            while (inFlight.get() > 0) {
                try {
                    progress.tryAcquire(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the pool's close waits for the requests (bounded by the timeout)
                    break;
                }
            }
        }
    }

    /** Posts the delivery; returns the attempt's end, to be recorded (null: its subscription is gone). */
    private Finish send(Delivery d, Optional<Subscription> s) {
        if (s.isEmpty()) {
            return null;
        }
        Attempt attempt = WebhookPost.send(transport, clock, s.get(), d.eventId(), d.attempts(), d.body(), settings.timeout());
        State state = WebhookPost.delivered(attempt) ? State.DELIVERED
                : d.attempts() >= settings.maxAttempts() ? State.DEAD : State.PENDING;
        if (state == State.DEAD) {
            LOG.log(System.Logger.Level.WARNING, "webhooks: delivery {0} to subscription {1} is dead after {2} attempts: {3}",
                    d.id(), d.subscriptionId(), d.attempts(), attempt.error());
        }
        return new Finish(d.id(), state, attempt, attempt.at().plus(settings.backoff(d.attempts())));
    }
}
