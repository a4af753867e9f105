package io.wharf.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.WebhookIndex;
import io.wharf.core.spi.WebhookIndex.Delivery;
import io.wharf.core.spi.WebhookIndex.State;
import io.wharf.core.spi.WebhookIndex.Subscription;
import io.wharf.core.testing.ManualClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The sender over the in-memory store with a recording transport: claims keep two nodes from sending one delivery
 * twice, a dead node's delivery is sent after its lease, failures back off and end DEAD.
 */
class WebhookRunnerTest {
    private static final String ACCOUNT = "123456789012";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookSettings FAST = new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
            Duration.ofSeconds(20), 3, 8, 2, Duration.ofDays(1));

    private final InMemoryMetadataStore store = new InMemoryMetadataStore();
    private final WebhookIndex index = store.webhooks();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> posted = new CopyOnWriteArrayList<>();

    private WebhookTransport answering(int status) {
        return (url, headers, body, timeout) -> {
            posted.add(headers.get("Wharf-Event-Id"));
            return new WebhookTransport.Outcome(status, status == 0 ? "refused" : null);
        };
    }

    private Subscription subscribe(String id, List<String> types) {
        Subscription s = new Subscription(id, ACCOUNT, "http://127.0.0.1:1/" + id, null, types, "secret-0123456789abcdef",
                true, clock.instant(), null);
        index.createSubscription(s);
        return s;
    }

    /** One envelope per event, its id from the sequence (as EventBridgeShape's). */
    private static final Function<StoredEvent, List<ObjectNode>> ENVELOPES = e -> List.of(JSON.createObjectNode()
            .put("id", "event-" + e.sequence()).put("detail-type", "ECR Image Action").put("source", "aws.ecr"));

    private static StoredEvent pushed(long sequence) {
        return new StoredEvent(sequence, Instant.EPOCH, new RegistryEvent.ImagePushed(ACCOUNT, new RepositoryName("app"),
                Digest.sha256Of(("m" + sequence).getBytes()), "application/vnd.oci.image.manifest.v1+json", null));
    }

    /** Queues a delivery of each of {@code events} pushes for every subscription, as the subscriber leaves them to the sender. */
    private void queue(int events) {
        List<WebhookIndex.NewDelivery> rows = new ArrayList<>();
        for (int i = 1; i <= events; i++) {
            for (ObjectNode envelope : ENVELOPES.apply(pushed(i))) {
                index.subscriptions(null).forEach(s -> rows.add(WebhookSubscriber.delivery(s, envelope, "app")));
            }
        }
        index.enqueue(rows, clock.instant());
    }

    @Test
    void twoNodesSendEveryDeliveryExactlyOnce() throws Exception {
        for (int s = 0; s < 5; s++) {
            subscribe("wh-" + s, List.of());
        }
        queue(60);
        WebhookTransport slowOk = (url, headers, body, timeout) -> {
            posted.add(headers.get("Wharf-Event-Id"));
            pause(1);
            return new WebhookTransport.Outcome(204, null);
        };
        List<Thread> nodes = new ArrayList<>();
        Map<String, WebhookRunner.Counts> counts = new ConcurrentHashMap<>();
        for (String node : List.of("node-1", "node-2")) {
            WebhookRunner runner = new WebhookRunner(index, slowOk, FAST, node, clock);
            nodes.add(Thread.ofVirtual().start(() -> counts.put(node, runner.runDue(() -> false))));
        }
        for (Thread t : nodes) {
            t.join();
        }
        assertThat(posted).hasSize(300).doesNotHaveDuplicates();
        assertThat(counts.values().stream().mapToInt(WebhookRunner.Counts::delivered).sum()).isEqualTo(300);
        for (int s = 0; s < 5; s++) {
            assertThat(index.counts("wh-" + s)).isEqualTo(Map.of(State.DELIVERED, 60L));
        }
    }

    @Test
    void deliveriesDueTogetherAreClaimedInOneTransactionAndTheirOutcomesRecordedTogether() {
        subscribe("wh-a", List.of());
        queue(8);
        List<Integer> claims = new CopyOnWriteArrayList<>();
        List<Integer> finishes = new CopyOnWriteArrayList<>();
        WebhookIndex counting = observed((method, args) -> {
            if (method.equals("claim") && args[0] instanceof List<?> ids) {
                claims.add(ids.size());
            } else if (method.equals("finishAttempts")) {
                finishes.add(((List<?>) args[1]).size());
            }
        });
        CountDownLatch allArrived = new CountDownLatch(8);
        WebhookTransport together = (url, headers, body, timeout) -> {
            posted.add(headers.get("Wharf-Event-Id"));
            allArrived.countDown();
            try {
                allArrived.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new WebhookTransport.Outcome(204, null);
        };
        WebhookSettings eightAtOnce = new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(20), 3, 8, 8, Duration.ofDays(1));
        WebhookRunner runner = new WebhookRunner(counting, together, eightAtOnce, "node", clock);

        assertThat(runner.runDue(() -> false).delivered()).isEqualTo(8);
        assertThat(claims).as("one claim of all eight").containsExactly(8);
        assertThat(finishes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
        assertThat(finishes).as("eight outcomes ending at once, recorded in a round or two, not one by one").hasSizeLessThanOrEqualTo(3);
        assertThat(index.counts("wh-a")).isEqualTo(Map.of(State.DELIVERED, 8L));
    }

    @Test
    void aRunThatFindsNothingDueEndsAfterOneLook() {
        subscribe("wh-a", List.of());
        List<String> calls = new CopyOnWriteArrayList<>();
        WebhookRunner runner = new WebhookRunner(observed((method, args) -> calls.add(method)), answering(204), FAST, "node",
                clock);
        assertThat(runner.runDue(() -> false).delivered()).isZero();
        assertThat(calls.stream().filter("claimable"::equals)).as("one look, no linger polling again").hasSize(1);
        assertThat(posted).isEmpty();
    }

    /** The store, with every call's method name and arguments shown to {@code seen} first. */
    private WebhookIndex observed(BiConsumer<String, Object[]> seen) {
        return (WebhookIndex) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {WebhookIndex.class},
                (proxy, method, args) -> {
                    seen.accept(method.getName(), args);
                    try {
                        return method.invoke(index, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aDeliveryHeldByADeadNodeIsSentOnceItsLeaseExpired() {
        subscribe("wh-a", List.of());
        queue(1);
        long id = index.deliveries("wh-a", null, 1).getFirst().id();
        index.claim(id, "dead-node", clock.instant(), clock.instant().plusSeconds(20)).orElseThrow();
        WebhookRunner runner = new WebhookRunner(index, answering(200), FAST, "node", clock);
        assertThat(runner.runDue(() -> false).delivered()).isZero();
        clock.advance(Duration.ofSeconds(21));
        assertThat(runner.runDue(() -> false).delivered()).isEqualTo(1);
        Delivery d = index.delivery(id).orElseThrow();
        assertThat(d.state()).isEqualTo(State.DELIVERED);
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(posted).hasSize(1);
    }

    @Test
    void failuresBackOffAndEndDead() {
        subscribe("wh-a", List.of());
        queue(1);
        WebhookRunner runner = new WebhookRunner(index, answering(0), FAST, "node", clock);
        assertThat(runner.runDue(() -> false).retried()).isEqualTo(1);
        Delivery d = index.deliveries("wh-a", null, 1).getFirst();
        assertThat(d.dueAt()).isEqualTo(clock.instant().plusSeconds(5));
        assertThat(d.last().error()).isEqualTo("refused");
        clock.advance(Duration.ofSeconds(4));
        assertThat(runner.runDue(() -> false)).as("not due yet").isEqualTo(new WebhookRunner.Counts(0, 0, 0));
        clock.advance(Duration.ofSeconds(1));
        assertThat(runner.runDue(() -> false).retried()).isEqualTo(1);
        assertThat(index.deliveries("wh-a", null, 1).getFirst().dueAt()).isEqualTo(clock.instant().plusSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertThat(runner.runDue(() -> false).dead()).isEqualTo(1);
        assertThat(posted).hasSize(3);
        assertThat(index.counts("wh-a")).isEqualTo(Map.of(State.DEAD, 1L));
        assertThat(index.subscription("wh-a").orElseThrow().last().status()).isZero();
    }

    @Test
    void aSubscriptionNeverHasMoreThanItsCapInFlight() throws Exception {
        subscribe("wh-a", List.of());
        queue(20);
        AtomicInteger now = new AtomicInteger();
        Set<Integer> peaks = Collections.newSetFromMap(new ConcurrentHashMap<>());
        WebhookTransport counting = (url, headers, body, timeout) -> {
            peaks.add(now.incrementAndGet());
            pause(5);
            now.decrementAndGet();
            return new WebhookTransport.Outcome(200, null);
        };
        assertThat(new WebhookRunner(index, counting, FAST, "node", clock).runDue(() -> false).delivered()).isEqualTo(20);
        assertThat(peaks).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(FAST.perSubscription()));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
