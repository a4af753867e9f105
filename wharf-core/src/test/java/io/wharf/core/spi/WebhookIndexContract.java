package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spi.WebhookIndex.Attempt;
import io.wharf.core.spi.WebhookIndex.Delivery;
import io.wharf.core.spi.WebhookIndex.Finish;
import io.wharf.core.spi.WebhookIndex.NewDelivery;
import io.wharf.core.spi.WebhookIndex.Queued;
import io.wharf.core.spi.WebhookIndex.Sent;
import io.wharf.core.spi.WebhookIndex.State;
import io.wharf.core.spi.WebhookIndex.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link WebhookIndex}; every backend runs it. */
public abstract class WebhookIndexContract extends MetadataStoreFixture {
    private WebhookIndex index;

    @BeforeEach
    void subscribe() {
        index = store.webhooks();
        index.createSubscription(subscription("wh-a", ACCOUNT, true));
        index.createSubscription(subscription("wh-b", ACCOUNT, true));
        index.createSubscription(subscription("wh-other", OTHER_ACCOUNT, true));
    }

    private static Subscription subscription(String id, String account, boolean enabled) {
        return new Subscription(id, account, "http://127.0.0.1:1/" + id, "team/*", List.of("ECR Image Action", "ImagePulled"),
                "secret-of-" + id + "-0123456789", enabled, at(1), null);
    }

    private static NewDelivery event(String subscription, String eventId) {
        return new NewDelivery(subscription, eventId, "ECR Image Action", "team/app", "{\"id\":\"" + eventId + "\"}");
    }

    private Delivery only(String subscription) {
        List<Delivery> all = index.deliveries(subscription, null, 10);
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    @Test
    void subscriptionsAreStoredPerAccountUpdatedAndDeleted() {
        Subscription a = index.subscription("wh-a").orElseThrow();
        assertThat(a).isEqualTo(subscription("wh-a", ACCOUNT, true));
        assertThat(index.subscriptions(ACCOUNT)).extracting(Subscription::id).containsExactly("wh-a", "wh-b");
        assertThat(index.subscriptions(null)).hasSize(3);

        Subscription changed = new Subscription("wh-a", ACCOUNT, "https://example.test/hook", null, List.of(), "ignored-secret",
                false, at(9), null);
        assertThat(index.updateSubscription(changed)).isTrue();
        Subscription read = index.subscription("wh-a").orElseThrow();
        assertThat(read.url()).isEqualTo("https://example.test/hook");
        assertThat(read.repositoryFilter()).isNull();
        assertThat(read.eventTypes()).isEmpty();
        assertThat(read.enabled()).isFalse();
        assertThat(read.secret()).as("the secret is never changed by an update").isEqualTo(a.secret());
        assertThat(read.createdAt()).isEqualTo(at(1));
        assertThat(index.updateSubscription(subscription("wh-none", ACCOUNT, true))).isFalse();

        index.enqueue(List.of(event("wh-a", "e1")), at(2));
        assertThat(index.deleteSubscription("wh-a")).isTrue();
        assertThat(index.deleteSubscription("wh-a")).isFalse();
        assertThat(index.subscription("wh-a")).isEmpty();
        assertThat(index.deliveries("wh-a", null, 10)).as("deliveries go with their subscription").isEmpty();
    }

    @Test
    void aDeliveryIsQueuedOncePerSubscriptionAndEvent() {
        assertThat(index.enqueue(List.of(event("wh-a", "e1"), event("wh-b", "e1"), event("wh-gone", "e1")), at(2))).isEqualTo(2);
        assertThat(index.enqueue(List.of(event("wh-a", "e1"), event("wh-a", "e2")), at(3))).as("a redelivered event").isEqualTo(1);
        Delivery d = index.deliveries("wh-a", null, 10).getLast();
        assertThat(d.eventId()).isEqualTo("e1");
        assertThat(d.state()).isEqualTo(State.PENDING);
        assertThat(d.attempts()).isZero();
        assertThat(d.dueAt()).isEqualTo(at(2));
        assertThat(d.body()).isEqualTo("{\"id\":\"e1\"}");
        assertThat(d.repository()).isEqualTo("team/app");
        assertThat(d.detailType()).isEqualTo("ECR Image Action");
        assertThat(index.deliveries("wh-a", null, 10)).extracting(Delivery::eventId).containsExactly("e2", "e1");
        assertThat(index.counts("wh-a")).isEqualTo(Map.of(State.PENDING, 2L));
    }

    @Test
    void aDeliveryIsClaimedOnceAndTakenOverWhenItsLeaseExpired() throws Exception {
        index.enqueue(List.of(event("wh-a", "e1")), at(2));
        assertThat(index.claimable(at(1), Set.of(), 10)).as("not due yet").isEmpty();
        long id = index.claimable(at(2), Set.of(), 10).getFirst().id();
        List<Optional<Delivery>> claims = concurrently(4, i -> () -> index.claim(id, "node-" + i, at(3), at(23)));
        assertThat(claims).filteredOn(Optional::isPresent).hasSize(1);
        Delivery claimed = claims.stream().flatMap(Optional::stream).findFirst().orElseThrow();
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(claimed.leaseExpiresAt()).isEqualTo(at(23));
        assertThat(index.claimable(at(10), Set.of(), 10)).as("held").isEmpty();
        assertThat(index.claimable(at(24), Set.of(), 10)).as("its holder died").hasSize(1);
        Delivery taken = index.claim(id, "node-x", at(24), at(44)).orElseThrow();
        assertThat(taken.attempts()).isEqualTo(2);
        assertThat(index.finishAttempt(id, claimed.owner(), State.DELIVERED, new Attempt(at(25), 200, null), null))
                .as("the old holder lost its claim").isFalse();
        assertThat(index.finishAttempt(id, "node-x", State.DELIVERED, new Attempt(at(25), 204, null), null)).isTrue();
        assertThat(only("wh-a").state()).isEqualTo(State.DELIVERED);
        assertThat(index.claimable(at(100), Set.of(), 10)).isEmpty();
    }

    @Test
    void manyAreClaimedAndFinishedTogetherAndOnlyTheClaimableOnesCount() {
        index.enqueue(List.of(event("wh-a", "e1"), event("wh-a", "e2"), event("wh-a", "e3")), at(2));
        List<Long> ids = index.claimable(at(2), Set.of(), 10).stream().map(Delivery::id).toList();
        long held = index.claim(ids.get(1), "other", at(2), at(22)).orElseThrow().id();
        List<Delivery> taken = index.claim(List.of(ids.get(2), held, ids.get(0), -1L), "node", at(3), at(23));
        assertThat(taken).as("in the order asked, the held and the unknown one left out")
                .extracting(Delivery::id).containsExactly(ids.get(2), ids.get(0));
        assertThat(taken).allSatisfy(d -> {
            assertThat(d.owner()).isEqualTo("node");
            assertThat(d.attempts()).isEqualTo(1);
        });

        Set<Long> recorded = index.finishAttempts("node", List.of(
                new Finish(ids.get(0), State.DELIVERED, new Attempt(at(4), 200, null), null),
                new Finish(held, State.DELIVERED, new Attempt(at(4), 200, null), null),
                new Finish(ids.get(2), State.PENDING, new Attempt(at(5), 500, "HTTP 500"), at(9))));
        assertThat(recorded).as("not the one another node holds").containsExactlyInAnyOrder(ids.get(0), ids.get(2));
        assertThat(index.delivery(ids.get(0)).orElseThrow().state()).isEqualTo(State.DELIVERED);
        assertThat(index.delivery(held).orElseThrow().owner()).isEqualTo("other");
        Delivery retried = index.delivery(ids.get(2)).orElseThrow();
        assertThat(retried.state()).isEqualTo(State.PENDING);
        assertThat(retried.dueAt()).isEqualTo(at(9));
        assertThat(retried.owner()).isNull();
        assertThat(index.subscription("wh-a").orElseThrow().last()).as("the latest attempt")
                .isEqualTo(new Attempt(at(5), 500, "HTTP 500"));
        assertThat(index.claim(List.of(), "node", at(6), at(26))).isEmpty();
        assertThat(index.finishAttempts("node", List.of())).isEmpty();
    }

    @Test
    void aFailedAttemptIsRecordedAndDueAgainAtItsRetryTime() {
        index.enqueue(List.of(event("wh-a", "e1")), at(2));
        long id = index.claim(only("wh-a").id(), "node", at(2), at(22)).orElseThrow().id();
        assertThat(index.finishAttempt(id, "node", State.PENDING, new Attempt(at(3), 503, "HTTP 503"), at(8))).isTrue();
        Delivery d = only("wh-a");
        assertThat(d.state()).isEqualTo(State.PENDING);
        assertThat(d.owner()).isNull();
        assertThat(d.last()).isEqualTo(new Attempt(at(3), 503, "HTTP 503"));
        assertThat(index.subscription("wh-a").orElseThrow().last()).isEqualTo(new Attempt(at(3), 503, "HTTP 503"));
        assertThat(index.claimable(at(7), Set.of(), 10)).isEmpty();
        assertThat(index.claimable(at(8), Set.of(), 10)).hasSize(1);
        index.claim(id, "node", at(8), at(28)).orElseThrow();
        assertThat(index.finishAttempt(id, "node", State.DEAD, new Attempt(at(9), 0, "timed out"), at(99))).isTrue();
        assertThat(only("wh-a").state()).isEqualTo(State.DEAD);
        assertThat(only("wh-a").attempts()).isEqualTo(2);
        assertThat(index.claimable(at(200), Set.of(), 10)).as("dead is not retried").isEmpty();
        assertThat(index.counts("wh-a")).isEqualTo(Map.of(State.DEAD, 1L));
    }

    @Test
    void disabledAndSkippedSubscriptionsAreNotClaimable() {
        index.enqueue(List.of(event("wh-a", "e1"), event("wh-b", "e1")), at(2));
        assertThat(index.claimable(at(2), Set.of("wh-a"), 10)).extracting(Delivery::subscriptionId).containsExactly("wh-b");
        Subscription b = index.subscription("wh-b").orElseThrow();
        index.updateSubscription(new Subscription(b.id(), b.account(), b.url(), b.repositoryFilter(), b.eventTypes(), b.secret(),
                false, b.createdAt(), null));
        assertThat(index.claimable(at(2), Set.of(), 10)).extracting(Delivery::subscriptionId).containsExactly("wh-a");
        assertThat(index.claim(only("wh-b").id(), "node", at(2), at(22))).isEmpty();
    }

    @Test
    void deadDeliveriesAreReplayedAllOrOne() {
        index.enqueue(List.of(event("wh-a", "e1"), event("wh-a", "e2"), event("wh-a", "e3")), at(2));
        for (Delivery d : index.deliveries("wh-a", null, 10)) {
            index.claim(d.id(), "node", at(2), at(22)).orElseThrow();
            State end = d.eventId().equals("e3") ? State.DELIVERED : State.DEAD;
            index.finishAttempt(d.id(), "node", end, new Attempt(at(3), 500, "HTTP 500"), at(99));
        }
        assertThat(index.deliveries("wh-a", State.DEAD, 10)).hasSize(2);
        assertThat(index.replay("wh-b", null, at(4))).as("another subscription's").isZero();
        long e3 = index.deliveries("wh-a", State.DELIVERED, 10).getFirst().id();
        assertThat(index.replay("wh-a", e3, at(4))).as("one delivery, even a delivered one").isEqualTo(1);
        assertThat(index.replay("wh-a", null, at(5))).isEqualTo(2);
        assertThat(index.deliveries("wh-a", null, 10)).allSatisfy(d -> {
            assertThat(d.state()).isEqualTo(State.PENDING);
            assertThat(d.attempts()).isZero();
        });
        assertThat(index.claimable(at(5), Set.of(), 10)).hasSize(3);
    }

    @Test
    void deliveredRowsAreDeletedAfterTheirRetention() {
        index.enqueue(List.of(event("wh-a", "e1"), event("wh-a", "e2")), at(2));
        for (Delivery d : index.deliveries("wh-a", null, 10)) {
            index.claim(d.id(), "node", at(2), at(22)).orElseThrow();
            index.finishAttempt(d.id(), "node", State.DELIVERED, new Attempt(at(d.eventId().equals("e1") ? 3 : 10), 200, null), null);
        }
        assertThat(index.deleteDelivered(at(5), 100)).isEqualTo(1);
        assertThat(index.deliveries("wh-a", null, 10)).extracting(Delivery::eventId).containsExactly("e2");
    }

    @Test
    void aBatchSentStraightCountsItsDeliveriesAndQueuesWhatIsLeftWithTheAttemptMade() {
        assertThat(index.waiting()).isEmpty();
        Attempt failed = new Attempt(at(3), 503, "HTTP 503");
        int queued = index.recordSent(
                List.of(new Sent("wh-a", new Attempt(at(3), 200, null), 5), new Sent("wh-b", failed, 1),
                        new Sent("wh-gone", failed, 2)),
                List.of(new Queued(event("wh-b", "e1"), State.PENDING, failed, at(8)),
                        new Queued(event("wh-b", "e2"), State.PENDING, null, at(3)),
                        new Queued(event("wh-gone", "e1"), State.DEAD, failed, at(8)),
                        new Queued(event("wh-a", "e9"), State.DEAD, failed, at(8))),
                at(3));

        assertThat(queued).as("not the gone subscription's").isEqualTo(3);
        assertThat(index.counts("wh-a")).as("a delivery whose only attempt failed is dead at once")
                .isEqualTo(Map.of(State.DELIVERED, 5L, State.DEAD, 1L));
        assertThat(index.counts("wh-b")).isEqualTo(Map.of(State.DELIVERED, 1L, State.PENDING, 2L));
        assertThat(index.subscription("wh-a").orElseThrow().last()).isEqualTo(new Attempt(at(3), 200, null));
        assertThat(index.subscription("wh-b").orElseThrow().last()).isEqualTo(failed);
        assertThat(index.waiting()).containsExactly("wh-b");
        Delivery tried = index.deliveries("wh-b", null, 10).getLast();
        assertThat(tried.eventId()).isEqualTo("e1");
        assertThat(tried.attempts()).isEqualTo(1);
        assertThat(tried.last()).isEqualTo(failed);
        assertThat(tried.dueAt()).isEqualTo(at(8));
        assertThat(tried.body()).isEqualTo("{\"id\":\"e1\"}");
        Delivery untried = index.deliveries("wh-b", null, 10).getFirst();
        assertThat(untried.attempts()).isZero();
        assertThat(untried.last()).isNull();
        assertThat(index.claimable(at(3), Set.of(), 10)).extracting(Delivery::eventId).containsExactly("e2");

        assertThat(index.recordSent(List.of(new Sent("wh-a", new Attempt(at(2), 500, "older"), 0)),
                List.of(new Queued(event("wh-b", "e1"), State.PENDING, null, at(4))), at(4))).as("a batch handed out again").isZero();
        assertThat(index.subscription("wh-a").orElseThrow().last()).as("an older attempt does not replace a newer one")
                .isEqualTo(new Attempt(at(3), 200, null));
        assertThat(index.counts("wh-a")).isEqualTo(Map.of(State.DELIVERED, 5L, State.DEAD, 1L));
    }

    @Test
    void theDeliveredCountOutlivesTheDeliveredRowsAndCountsTheSendersDeliveries() {
        index.recordSent(List.of(new Sent("wh-a", new Attempt(at(2), 200, null), 2), new Sent("wh-a", new Attempt(at(1), 500, "x"), 1)),
                List.of(), at(2));
        assertThat(index.subscription("wh-a").orElseThrow().last()).as("one subscription twice: the newer attempt")
                .isEqualTo(new Attempt(at(2), 200, null));
        index.enqueue(List.of(event("wh-a", "e1"), event("wh-a", "e2")), at(2));
        for (Delivery d : index.deliveries("wh-a", null, 10)) {
            index.claim(d.id(), "node", at(2), at(22)).orElseThrow();
            State end = d.eventId().equals("e1") ? State.DELIVERED : State.PENDING;
            index.finishAttempt(d.id(), "node", end, new Attempt(at(3), end == State.DELIVERED ? 200 : 500, null), at(9));
        }
        assertThat(index.counts("wh-a")).isEqualTo(Map.of(State.DELIVERED, 4L, State.PENDING, 1L));
        assertThat(index.waiting()).containsExactly("wh-a");
        assertThat(index.deleteDelivered(at(5), 100)).isEqualTo(1);
        assertThat(index.counts("wh-a")).isEqualTo(Map.of(State.DELIVERED, 4L, State.PENDING, 1L));
    }
}
