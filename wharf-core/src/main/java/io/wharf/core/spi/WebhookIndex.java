package io.wharf.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Webhooks (docs/webhooks.md): subscriptions and their deliveries, one row per (subscription, event envelope). A
 * delivery is PENDING until a receiver answered 2xx (DELIVERED) or its attempts ran out (DEAD, replayable). Every
 * change of a delivery's ownership is a compare-and-set on its state, owner and lease, so nodes sharing one
 * database never send one delivery twice at once and take over one whose sender died. Deliveries go with their
 * subscription.
 */
public interface WebhookIndex {

    enum State { PENDING, DELIVERED, DEAD }

    /** The outcome of the latest attempt: the HTTP status (0: no answer) and why it failed (null on 2xx). */
    record Attempt(Instant at, int status, String error) {
        /** The later of two attempts ({@code b} when they are of one instant); a null one is older than any. */
        public static Attempt newer(Attempt a, Attempt b) {
            return a == null || (b != null && !b.at().isBefore(a.at())) ? b : a;
        }
    }

    /**
     * A subscription of {@code account}: {@code repositoryFilter} null (every repository), an exact name or a
     * prefix {@code team/*}; {@code eventTypes} empty (every event) or detail-types and event names; {@code last}
     * the latest attempt of any of its deliveries (null: none yet).
     */
    record Subscription(String id, String account, String url, String repositoryFilter, List<String> eventTypes,
                        String secret, boolean enabled, Instant createdAt, Attempt last) {
        public Subscription {
            eventTypes = List.copyOf(eventTypes);
        }

        public Subscription withLast(Attempt attempt) {
            return new Subscription(id, account, url, repositoryFilter, eventTypes, secret, enabled, createdAt, attempt);
        }
    }

    /** A delivery to queue: {@code eventId} is the envelope's id, unique per subscription. */
    record NewDelivery(String subscriptionId, String eventId, String detailType, String repository, String body) {
    }

    record Delivery(long id, String subscriptionId, String eventId, String detailType, String repository, String body,
                    State state, int attempts, Instant dueAt, String owner, Instant leaseExpiresAt, Attempt last,
                    Instant createdAt) {
    }

    void createSubscription(Subscription subscription);

    Optional<Subscription> subscription(String id);

    /** The account's subscriptions (null: every account's), by creation. */
    List<Subscription> subscriptions(String account);

    /** Replaces url, filters and the enabled flag; false when there is no such subscription. */
    boolean updateSubscription(Subscription subscription);

    /** Deletes the subscription and its deliveries; false when there was none. */
    boolean deleteSubscription(String id);

    /**
     * Queues the deliveries in one transaction, PENDING and due {@code now}; one already queued (same subscription
     * and event id: a redelivered event) or of a subscription gone is skipped. Returns how many were queued.
     */
    int enqueue(List<NewDelivery> deliveries, Instant now);

    /**
     * Deliveries a sender may claim now, oldest due first: PENDING of an enabled subscription not in
     * {@code skipSubscriptions}, unowned and due, or owned under a lease that expired.
     */
    List<Delivery> claimable(Instant now, Set<String> skipSubscriptions, int limit);

    /**
     * Takes for {@code owner} until {@code leaseExpiresAt} (attempts + 1) each of the deliveries that is still
     * claimable, all in one transaction; returns those taken, in the order asked.
     */
    List<Delivery> claim(List<Long> ids, String owner, Instant now, Instant leaseExpiresAt);

    /** {@link #claim(List, String, Instant, Instant)} of one delivery. */
    default Optional<Delivery> claim(long id, String owner, Instant now, Instant leaseExpiresAt) {
        return claim(List.of(id), owner, now, leaseExpiresAt).stream().findFirst();
    }

    /**
     * The end of one attempt: DELIVERED or DEAD ({@code state}), or PENDING again due at {@code retryAt}.
     */
    record Finish(long id, State state, Attempt attempt, Instant retryAt) {
    }

    /**
     * Ends the attempts {@code owner} holds, all in one transaction, recording each on its delivery and subscription.
     * Returns the ids recorded; one missing lost its claim (taken over after its lease, or deleted).
     */
    Set<Long> finishAttempts(String owner, List<Finish> finishes);

    /** {@link #finishAttempts} of one attempt; false when the claim was lost. */
    default boolean finishAttempt(long id, String owner, State state, Attempt attempt, Instant retryAt) {
        return finishAttempts(owner, List.of(new Finish(id, state, attempt, retryAt))).contains(id);
    }

    Optional<Delivery> delivery(long id);

    /** The subscription's deliveries in {@code state} (null: any), newest first, at most {@code limit}. */
    List<Delivery> deliveries(String subscriptionId, State state, int limit);

    /**
     * How many deliveries of the subscription are PENDING and DEAD, and how many were DELIVERED since it was created
     * (whether sent straight from the outbox, which leaves no row, or by the sender); states with none left out.
     */
    Map<State, Long> counts(String subscriptionId);

    /** The subscriptions that have PENDING deliveries: their new events queue behind those rather than go straight. */
    Set<String> waiting();

    /** A subscription's share of a batch sent straight from the outbox: its latest attempt, and how many were delivered. */
    record Sent(String subscriptionId, Attempt last, int delivered) {
    }

    /**
     * A delivery of such a batch left to the sender: PENDING due {@code dueAt} (or DEAD: its one allowed attempt
     * failed), with the attempt made ({@code attempt} null: none, attempts 0; else attempts 1 and that attempt as its last).
     */
    record Queued(NewDelivery delivery, State state, Attempt attempt, Instant dueAt) {
    }

    /**
     * Records a batch sent straight from the outbox, in one transaction: on each subscription its latest attempt (when
     * newer than the one it has) and its delivered count; and queues the deliveries left to the sender (one already
     * queued, or of a subscription gone, skipped). Returns how many were queued.
     */
    int recordSent(List<Sent> sent, List<Queued> queued, Instant now);

    /**
     * Queues again, as new (attempts 0, due {@code now}), the subscription's DEAD deliveries, or only delivery
     * {@code deliveryId} (any state but one being sent) when not null. Returns how many.
     */
    int replay(String subscriptionId, Long deliveryId, Instant now);

    /** Deletes at most {@code limit} DELIVERED deliveries last attempted before {@code before}; returns how many. */
    int deleteDelivered(Instant before, int limit);
}
