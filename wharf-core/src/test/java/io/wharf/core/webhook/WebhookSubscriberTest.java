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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The subscriber sends straight from the outbox over the in-memory store, with a recording transport: a delivered
 * event leaves no row, a failed one and the rest of its subscription's are left to the sender, a subscription with
 * deliveries waiting gets no direct attempt, and the caps hold.
 */
class WebhookSubscriberTest {
    private static final String ACCOUNT = "123456789012";
    private static final String SECRET = "secret-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 10 s timeout, first attempt 1 s, backoff 5 s, 3 attempts, 8 at once, 2 per subscription. */
    private static final WebhookSettings SETTINGS = new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
            Duration.ofSeconds(20), 3, 8, 2, Duration.ofDays(1), Duration.ofSeconds(1));
    private static final Function<StoredEvent, List<ObjectNode>> ENVELOPES = e -> List.of(JSON.createObjectNode()
            .put("id", "event-" + e.sequence()).put("detail-type", "ECR Image Action").put("source", "aws.ecr"));

    private final InMemoryMetadataStore store = new InMemoryMetadataStore();
    private final WebhookIndex index = store.webhooks();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** What was posted: "subscription event-id attempt". */
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final AtomicInteger wakes = new AtomicInteger();

    /** Answers 500 for the subscriptions in {@link #failing}, else 204; checks every signature and the timeout. */
    private final WebhookTransport transport = (url, headers, body, timeout) -> {
        String subscription = headers.get("Wharf-Webhook-Id");
        assertThat(WebhookSignature.verify(SECRET, headers.get(WebhookSignature.HEADER), body)).isTrue();
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"id\":\"" + headers.get("Wharf-Event-Id") + "\"");
        assertThat(timeout).as("the first attempt's timeout").isEqualTo(SETTINGS.firstTimeout());
        posted.add(subscription + " " + headers.get("Wharf-Event-Id") + " " + headers.get("Wharf-Delivery-Attempt"));
        return failing.contains(subscription) ? new WebhookTransport.Outcome(500, null) : new WebhookTransport.Outcome(204, null);
    };

    private void subscribe(String id, List<String> types) {
        index.createSubscription(new Subscription(id, ACCOUNT, "http://127.0.0.1:1/" + id, null, types, SECRET, true,
                clock.instant(), null));
    }

    private void handle(int from, int to) {
        handle(from, to, transport, SETTINGS);
    }

    private void handle(int from, int to, WebhookTransport via, WebhookSettings settings) {
        List<StoredEvent> batch = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            batch.add(new StoredEvent(i, Instant.EPOCH, new RegistryEvent.ImagePushed(ACCOUNT, new RepositoryName("app"),
                    Digest.sha256Of(("m" + i).getBytes()), "application/vnd.oci.image.manifest.v1+json", null)));
        }
        new WebhookSubscriber(index, ENVELOPES, via, settings, clock, wakes::incrementAndGet).handle(batch);
    }

    private List<String> postedTo(String subscription) {
        return posted.stream().filter(p -> p.startsWith(subscription + " ")).toList();
    }

    @Test
    void eachMatchingDeliveryIsSentOnceWithAStableIdAndLeavesNoRow() {
        subscribe("wh-a", List.of());
        subscribe("wh-b", List.of("ImagePushed"));
        subscribe("wh-c", List.of("ECR Image Scan"));
        handle(1, 3);

        assertThat(postedTo("wh-a")).containsExactlyInAnyOrder("wh-a " + WebhookSubscriber.eventId("event-1", "wh-a") + " 1",
                "wh-a " + WebhookSubscriber.eventId("event-2", "wh-a") + " 1", "wh-a " + WebhookSubscriber.eventId("event-3", "wh-a") + " 1");
        assertThat(postedTo("wh-b")).hasSize(3);
        assertThat(postedTo("wh-c")).isEmpty();
        assertThat(index.deliveries("wh-a", null, 10)).as("a delivery made straight away leaves no row").isEmpty();
        assertThat(index.counts("wh-a")).isEqualTo(Map.of(State.DELIVERED, 3L));
        assertThat(index.subscription("wh-b").orElseThrow().last().status()).isEqualTo(204);
        assertThat(index.subscription("wh-c").orElseThrow().last()).isNull();
        assertThat(wakes).as("nothing left to the sender").hasValue(0);

        handle(1, 3); // the dispatcher hands the batch out again after a crash: sent again, with the same ids
        assertThat(postedTo("wh-a")).hasSize(6);
        assertThat(Set.copyOf(postedTo("wh-a"))).as("the same three deliveries twice").hasSize(3);
    }

    @Test
    void aFailedFirstAttemptAndTheRestOfItsSubscriptionsAreLeftToTheSenderWhileOthersGoOn() {
        subscribe("wh-a", List.of());
        subscribe("wh-b", List.of());
        failing.add("wh-a");
        handle(1, 6, transport, new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(20),
                3, 8, 1, Duration.ofDays(1), Duration.ofSeconds(1)));

        assertThat(postedTo("wh-a")).as("one at a time: the first fails, the rest wait for its retry").hasSize(1);
        assertThat(postedTo("wh-b")).hasSize(6);
        List<Delivery> rows = index.deliveries("wh-a", null, 10);
        assertThat(rows).hasSize(6).allSatisfy(d -> {
            assertThat(d.state()).isEqualTo(State.PENDING);
            assertThat(d.dueAt()).as("at the failure's retry").isEqualTo(clock.instant().plusSeconds(5));
        });
        assertThat(rows).filteredOn(d -> d.attempts() == 1).singleElement()
                .satisfies(d -> assertThat(d.last().status()).isEqualTo(500));
        assertThat(index.deliveries("wh-b", null, 10)).isEmpty();
        assertThat(index.counts("wh-b")).isEqualTo(Map.of(State.DELIVERED, 6L));
        assertThat(wakes).hasValue(1);

        handle(7, 8); // wh-a has deliveries waiting: no direct attempt, queued behind them, due now
        assertThat(postedTo("wh-a")).hasSize(1);
        assertThat(index.deliveries("wh-a", null, 10)).hasSize(8);
        assertThat(index.claimable(clock.instant(), Set.of(), 10)).extracting(Delivery::eventId)
                .containsExactlyInAnyOrder(WebhookSubscriber.eventId("event-7", "wh-a"), WebhookSubscriber.eventId("event-8", "wh-a"));

        failing.clear();
        clock.advance(Duration.ofSeconds(5));
        WebhookTransport sender = (url, headers, body, timeout) -> new WebhookTransport.Outcome(200, null);
        assertThat(new WebhookRunner(index, sender, SETTINGS, "node", clock).runDue(() -> false).delivered()).isEqualTo(8);
        assertThat(index.waiting()).isEmpty();
        handle(9, 9); // nothing waiting any more: straight again
        assertThat(postedTo("wh-a")).hasSize(2);
        assertThat(index.counts("wh-a")).isEqualTo(Map.of(State.DELIVERED, 9L));
    }

    @Test
    void withOneAttemptAllowedAFailedDeliveryIsDeadAtOnce() {
        subscribe("wh-a", List.of());
        failing.add("wh-a");
        handle(1, 1, transport, new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(20),
                1, 8, 2, Duration.ofDays(1), Duration.ofSeconds(1)));
        assertThat(index.deliveries("wh-a", null, 10)).singleElement().satisfies(d -> {
            assertThat(d.state()).isEqualTo(State.DEAD);
            assertThat(d.attempts()).isEqualTo(1);
        });
    }

    @Test
    void neitherASubscriptionsCapNorTheNodesIsExceeded() {
        for (int s = 0; s < 6; s++) {
            subscribe("wh-" + s, List.of());
        }
        AtomicInteger all = new AtomicInteger();
        Map<String, AtomicInteger> mine = new ConcurrentHashMap<>();
        List<Integer> peaks = new CopyOnWriteArrayList<>();
        List<Integer> ownPeaks = new CopyOnWriteArrayList<>();
        WebhookTransport slow = (url, headers, body, timeout) -> {
            AtomicInteger own = mine.computeIfAbsent(headers.get("Wharf-Webhook-Id"), k -> new AtomicInteger());
            peaks.add(all.incrementAndGet());
            ownPeaks.add(own.incrementAndGet());
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            own.decrementAndGet();
            all.decrementAndGet();
            return new WebhookTransport.Outcome(200, null);
        };
        handle(1, 20, slow, SETTINGS);
        assertThat(peaks).hasSize(120).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(SETTINGS.concurrency()));
        assertThat(peaks.stream().mapToInt(Integer::intValue).max().orElseThrow()).as("sent concurrently").isGreaterThan(1);
        assertThat(ownPeaks).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(SETTINGS.perSubscription()));
    }

    @Test
    void answersThroughATransportsCallbackAreRecordedAndFreeTheirSlots() throws InterruptedException {
        subscribe("wh-a", List.of());
        subscribe("wh-b", List.of());
        failing.add("wh-b");
        BlockingQueue<CompletableFuture<WebhookTransport.Outcome>> open = new LinkedBlockingQueue<>();
        Map<CompletableFuture<WebhookTransport.Outcome>, String> to = new ConcurrentHashMap<>();
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        WebhookTransport callbacks = new WebhookTransport() {
            @Override
            public Outcome post(String url, Map<String, String> headers, byte[] body, Duration timeout) {
                throw new AssertionError("the subscriber must not wait for a post");
            }

            @Override
            public CompletableFuture<Outcome> send(String url, Map<String, String> headers, byte[] body, Duration timeout) {
                peak.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
                CompletableFuture<Outcome> answer = new CompletableFuture<>();
                to.put(answer, headers.get("Wharf-Webhook-Id"));
                open.add(answer);
                return answer;
            }
        };
        Thread receiver = Thread.ofVirtual().start(() -> { // answers each request on a thread of its own, as a client's callback
            try {
                for (int i = 0; i < 4; i++) { // wh-a's three, wh-b's first (it fails: its other two are left to the sender)
                    CompletableFuture<WebhookTransport.Outcome> answer = open.poll(5, TimeUnit.SECONDS);
                    if (answer == null) {
                        return;
                    }
                    outstanding.decrementAndGet();
                    answer.complete(new WebhookTransport.Outcome(failing.contains(to.get(answer)) ? 503 : 202, null));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        handle(1, 3, callbacks, new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(20),
                3, 2, 1, Duration.ofDays(1), Duration.ofSeconds(1)));
        receiver.join();

        assertThat(peak.get()).as("within the node's cap of 2, whose slots only the callbacks free").isBetween(1, 2);
        assertThat(index.counts("wh-a")).isEqualTo(Map.of(State.DELIVERED, 3L));
        assertThat(index.subscription("wh-a").orElseThrow().last().status()).isEqualTo(202);
        assertThat(index.deliveries("wh-b", null, 10)).hasSize(3).allSatisfy(d -> assertThat(d.state()).isEqualTo(State.PENDING));
        assertThat(index.subscription("wh-b").orElseThrow().last().error()).isEqualTo("HTTP 503");
    }

    @Test
    void aTransportThatThrowsLeavesTheDeliveryToTheSender() {
        subscribe("wh-a", List.of());
        WebhookTransport broken = (url, headers, body, timeout) -> {
            throw new IllegalStateException("no client");
        };
        handle(1, 1, broken, SETTINGS);
        assertThat(index.deliveries("wh-a", null, 10)).singleElement().satisfies(d -> {
            assertThat(d.state()).isEqualTo(State.PENDING);
            assertThat(d.last().error()).isEqualTo("not sent: java.lang.IllegalStateException: no client");
        });
        assertThat(wakes).hasValue(1);
    }
}
