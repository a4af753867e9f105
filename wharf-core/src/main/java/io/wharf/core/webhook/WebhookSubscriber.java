package io.wharf.core.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.event.EventSubscriber;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.spi.WebhookIndex;
import io.wharf.core.spi.WebhookIndex.Attempt;
import io.wharf.core.spi.WebhookIndex.NewDelivery;
import io.wharf.core.spi.WebhookIndex.Queued;
import io.wharf.core.spi.WebhookIndex.Sent;
import io.wharf.core.spi.WebhookIndex.State;
import io.wharf.core.spi.WebhookIndex.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * {@value #NAME}: sends each event to the subscriptions it matches straight from the outbox, on the dispatcher's
 * thread of its own, concurrently within {@code concurrency} and {@code perSubscription}, with the first attempt's
 * timeout. A delivery leaves a row only when the sender has to take it: its attempt failed, or its subscription
 * already has deliveries waiting (so a dead receiver costs one timeout, not one per event). The batch's outcome, the
 * subscriptions' latest attempts and delivered counts and those rows, is one transaction; the dispatcher stores its
 * cursor after that, so a crash before sends the batch again with the same ids (at least once). Each delivery's
 * envelope gets an {@code id} derived from the event's and the subscription's, stable across redeliveries and retries,
 * for receivers to drop duplicates by.
 */
public final class WebhookSubscriber implements EventSubscriber {
    public static final String NAME = "webhooks";
    private static final System.Logger LOG = System.getLogger("io.wharf.webhooks");
    static final long COALESCE_MILLIS = 50;

    private final WebhookIndex index;
    private final Function<StoredEvent, List<ObjectNode>> envelopes;
    private final WebhookTransport transport;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Runnable wake;

    /**
     * @param envelopes the EventBridge envelopes of an event (zero or more)
     * @param wake      starts the sender job, when deliveries were left to it
     */
    public WebhookSubscriber(WebhookIndex index, Function<StoredEvent, List<ObjectNode>> envelopes, WebhookTransport transport,
                             WebhookSettings settings, Clock clock, Runnable wake) {
        this.index = index;
        this.envelopes = envelopes;
        this.transport = transport;
        this.settings = settings;
        this.clock = clock;
        this.wake = wake;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** It waits for receivers (up to the first attempt's timeout): the other subscribers must not wait with it. */
    @Override
    public boolean ownThread() {
        return true;
    }

    /**
     * Each round costs reads and two commits (the batch's outcome, the cursor) whatever its size: under a push load
     * rounds of this much take several events each, for a few milliseconds more lag.
     */
    @Override
    public long coalesceMillis() {
        return COALESCE_MILLIS;
    }

    @Override
    public void handle(List<StoredEvent> batch) {
        List<Subscription> subscriptions = index.subscriptions(null).stream().filter(Subscription::enabled).toList();
        if (subscriptions.isEmpty()) {
            return;
        }
        List<Matched> matched = matches(batch, subscriptions);
        if (matched.isEmpty()) {
            return;
        }
        Round round = new Round(index.waiting());
        for (Matched m : matched) {
            round.offer(m);
        }
        round.awaitSends();
        if (index.recordSent(round.sent(), List.copyOf(round.queued), clock.instant()) > 0) {
            wake.run();
        }
    }

    /** A delivery and the subscription it goes to. */
    private record Matched(Subscription subscription, NewDelivery delivery) {
    }

    private List<Matched> matches(List<StoredEvent> batch, List<Subscription> subscriptions) {
        List<Matched> out = new ArrayList<>();
        for (StoredEvent stored : batch) {
            String account = stored.event().account();
            String repository = stored.event().repository().value();
            for (ObjectNode envelope : envelopes.apply(stored)) {
                String detailType = envelope.path("detail-type").asText();
                for (Subscription s : subscriptions) {
                    if (WebhookService.matches(s, account, repository, detailType, stored.event().type())) {
                        out.add(new Matched(s, delivery(s, envelope, repository)));
                    }
                }
            }
        }
        return out;
    }

    /** One batch's sends: the caps, and what each subscription got. */
    private final class Round {
        final Set<String> waiting;
        final Semaphore slots = new Semaphore(settings.concurrency());
        final Map<String, Semaphore> perSubscription = new ConcurrentHashMap<>();
        /** Subscriptions whose receiver failed in this round: the rest of theirs waits for the sender's retry. */
        final Map<String, Attempt> failed = new ConcurrentHashMap<>();
        final Map<String, Attempt> latest = new ConcurrentHashMap<>();
        final Map<String, Integer> delivered = new ConcurrentHashMap<>();
        final Queue<Queued> queued = new ConcurrentLinkedQueue<>();
        final List<CompletableFuture<Void>> sends = new ArrayList<>();

        Round(Set<String> waiting) {
            this.waiting = waiting;
        }

        /**
         * Sends the delivery when a slot of its own and one of the node's are free, or leaves it to the sender. The
         * transport answers through a callback, which records the outcome and frees the slots: no thread waits per
         * request in flight.
         */
        void offer(Matched m) {
            String id = m.subscription().id();
            if (leftToSender(m)) {
                return;
            }
            Semaphore mine = perSubscription.computeIfAbsent(id, k -> new Semaphore(settings.perSubscription()));
            mine.acquireUninterruptibly();
            slots.acquireUninterruptibly();
            if (leftToSender(m)) { // its receiver failed while this one waited for a slot
                slots.release();
                mine.release();
                return;
            }
            sends.add(attempt(m).thenAccept(a -> outcome(m, a)).whenComplete((done, failure) -> {
                slots.release();
                mine.release();
            }));
        }

        /** Waits for every send's outcome (each ends by the first attempt's timeout). */
        void awaitSends() {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).handle((all, failure) -> null).join();
            for (CompletableFuture<Void> f : sends) {
                if (f.isCompletedExceptionally()) { // neither delivered nor queued: the dispatcher hands the batch out again
                    throw new IllegalStateException("webhooks: a send ended without an outcome", f.exceptionNow());
                }
            }
        }

        private boolean leftToSender(Matched m) {
            String id = m.subscription().id();
            Attempt failure = failed.get(id);
            if (failure == null && !waiting.contains(id)) {
                return false;
            }
            // behind a failure: due when that one is retried; behind waiting deliveries: due now, after them
            queued.add(new Queued(m.delivery(), State.PENDING, null,
                    failure == null ? clock.instant() : failure.at().plus(settings.backoff(1))));
            return true;
        }

        private CompletableFuture<Attempt> attempt(Matched m) {
            CompletableFuture<Attempt> sent;
            try {
                sent = WebhookPost.start(transport, clock, m.subscription(), m.delivery().eventId(), 1, m.delivery().body(),
                        settings.firstTimeout());
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            return sent.exceptionally(e -> notSent(m, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
        }

        /** Never the receiver's doing (the transport answers failures): the sender retries. */
        private Attempt notSent(Matched m, Throwable e) {
            if (!(e instanceof RuntimeException)) {
                throw new CompletionException(e);
            }
            LOG.log(System.Logger.Level.WARNING, "webhooks: sending " + m.delivery().eventId() + " failed", e);
            return new Attempt(clock.instant(), 0, "not sent: " + e);
        }

        private void outcome(Matched m, Attempt a) {
            String id = m.subscription().id();
            latest.merge(id, a, Attempt::newer);
            if (WebhookPost.delivered(a)) {
                delivered.merge(id, 1, Integer::sum);
                return;
            }
            failed.putIfAbsent(id, a);
            boolean dead = settings.maxAttempts() <= 1;
            queued.add(new Queued(m.delivery(), dead ? State.DEAD : State.PENDING, a, a.at().plus(settings.backoff(1))));
        }

        List<Sent> sent() {
            return latest.entrySet().stream()
                    .map(e -> new Sent(e.getKey(), e.getValue(), delivered.getOrDefault(e.getKey(), 0))).toList();
        }
    }

    /** The envelope as this subscription receives it: its own stable id. */
    static NewDelivery delivery(Subscription s, ObjectNode envelope, String repository) {
        ObjectNode copy = envelope.deepCopy();
        String id = eventId(envelope.path("id").asText(), s.id());
        copy.put("id", id);
        return new NewDelivery(s.id(), id, envelope.path("detail-type").asText(), repository, copy.toString());
    }

    public static String eventId(String envelopeId, String subscriptionId) {
        return UUID.nameUUIDFromBytes((envelopeId + "/" + subscriptionId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
