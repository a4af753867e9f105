package io.wharf.server.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.core.model.Digest;
import io.wharf.core.webhook.WebhookSettings;
import io.wharf.server.api.WebhookReceiver.Answer;
import io.wharf.server.api.WebhookReceiver.Received;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end: a real server (auth on, SQLite, the dispatcher and the job) pushes to a real receiver that
 * fails, times out, recovers or dies; every event arrives, exactly once after dropping duplicates by id, signed.
 */
class WebhookDeliveryTest {
    @TempDir
    Path data;

    private ApiServer server;
    private WebhookReceiver receiver;
    private String root;

    private void start(int maxAttempts, Duration timeout) throws Exception {
        receiver = new WebhookReceiver();
        WebhookSettings sender = new WebhookSettings(timeout, Duration.ofMillis(100), Duration.ofMillis(300), maxAttempts,
                16, 4, Duration.ofDays(1));
        server = new ApiServer(data, c -> c.withWebhooks(new WharfConfig.Webhooks(true, Duration.ofMillis(100), sender)));
        root = server.root();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void everyPushArrivesOnceAfterDedupThroughFailuresTimeoutsAndRecovery() throws Exception {
        start(10, Duration.ofMillis(500));
        // 1-3: server errors; 4-5: answered after the sender gave up (it got them: duplicates follow); then fine
        receiver.behaviour = n -> n <= 3 ? new Answer(503, 0) : n <= 5 ? new Answer(200, 1500) : Answer.ok();
        String id = subscribe("/hook", Map.of("eventTypes", List.of("ImagePushed")));
        List<Digest> pushed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pushed.add(pushImage("team/app", "v" + i));
        }
        await(() -> receiver.distinct("/hook").size() == 10 && counts(id).path("DELIVERED").asInt() == 10, Duration.ofSeconds(30));

        Map<String, Received> distinct = receiver.distinct("/hook");
        assertThat(receiver.received()).as("retried after failures and timeouts").hasSizeGreaterThanOrEqualTo(15);
        assertThat(receiver.received().size() - distinct.size()).as("deliveries the sender timed out on came twice")
                .isGreaterThanOrEqualTo(2);
        assertThat(receiver.received()).allSatisfy(r -> {
            assertThat(r.verified()).as("signature of " + r.eventId()).isTrue();
            assertThat(r.webhookId()).isEqualTo(id);
            assertThat(r.eventId()).isEqualTo(r.body().path("id").asText());
        });
        Set<String> digests = new HashSet<>();
        for (Received r : distinct.values()) {
            JsonNode e = r.body();
            assertThat(e.path("version").asText()).isEqualTo("0");
            assertThat(e.path("source").asText()).isEqualTo("aws.ecr");
            assertThat(e.path("detail-type").asText()).isEqualTo("ECR Image Action");
            assertThat(e.path("account").asText()).isEqualTo(ApiServer.ACCOUNT);
            assertThat(e.path("region").asText()).isEqualTo("us-east-1");
            assertThat(e.path("time").asText()).isNotEmpty();
            assertThat(e.path("resources").isArray()).isTrue();
            assertThat(e.path("detail").path("action-type").asText()).isEqualTo("PUSH");
            assertThat(e.path("detail").path("repository-name").asText()).isEqualTo("team/app");
            digests.add(e.path("detail").path("image-digest").asText());
        }
        assertThat(digests).containsExactlyInAnyOrderElementsOf(pushed.stream().map(Digest::toString).toList());
        assertThat(counts(id).path("PENDING").asInt()).isZero();
        assertThat(counts(id).path("DEAD").asInt()).isZero();
        assertThat(show(id).path("lastAttempt").path("status").asInt()).isEqualTo(200);
    }

    @Test
    void aDeadReceiverDeadLettersAndAReplayDeliversTheSameEvent() throws Exception {
        start(3, Duration.ofSeconds(2));
        receiver.behaviour = n -> new Answer(500, 0);
        String id = subscribe("/hook", Map.of());
        Digest digest = pushImage("app", "v1");
        await(() -> counts(id).path("DEAD").asInt() == 2, Duration.ofSeconds(20)); // the repository's creation and the push
        assertThat(receiver.received()).as("three attempts each").hasSize(6);
        JsonNode dead = show(id, "?state=DEAD");
        assertThat(dead.path("deliveries")).hasSize(2).allSatisfy(d -> {
            assertThat(d.path("attempts").asInt()).isEqualTo(3);
            assertThat(d.path("lastAttempt").path("status").asInt()).isEqualTo(500);
            assertThat(d.path("lastAttempt").path("error").asText()).isEqualTo("HTTP 500");
        });
        assertThat(dead.path("lastAttempt").path("status").asInt()).isEqualTo(500);
        Set<String> failedIds = receiver.distinct("/hook").keySet();

        receiver.behaviour = n -> Answer.ok();
        long oneId = dead.path("deliveries").get(0).path("id").asLong();
        HttpResponse<String> one = server.send("POST", "/wharf/v1/webhooks/" + id + "/replay?delivery=" + oneId, root);
        assertThat(one.statusCode()).isEqualTo(202);
        assertThat(ApiServer.json(one).path("replayed").asInt()).isEqualTo(1);
        await(() -> counts(id).path("DELIVERED").asInt() == 1, Duration.ofSeconds(10));
        HttpResponse<String> rest = server.send("POST", "/wharf/v1/webhooks/" + id + "/replay", root);
        assertThat(ApiServer.json(rest).path("replayed").asInt()).isEqualTo(1);
        await(() -> counts(id).path("DELIVERED").asInt() == 2, Duration.ofSeconds(10));
        assertThat(receiver.distinct("/hook").keySet()).as("the replay sends the same event ids").isEqualTo(failedIds);
        assertThat(receiver.distinct("/hook").values()).anySatisfy(r ->
                assertThat(r.body().path("detail").path("image-digest").asText()).isEqualTo(digest.toString()));
    }

    @Test
    void subscriptionsGetTheRepositoriesAndEventTypesTheyFilterOn() throws Exception {
        start(10, Duration.ofSeconds(2));
        subscribe("/team", Map.of("repository", "team/*"));
        subscribe("/exact", Map.of("repository", "other", "eventTypes", List.of("ImagePushed")));
        subscribe("/repos", Map.of("eventTypes", List.of("Wharf Repository Action")));
        String off = subscribe("/off", Map.of("enabled", false));
        pushImage("team/a", "v1");
        pushImage("team/b", "v1");
        pushImage("other", "v1");
        pushImage("teamless", "v1");
        // team: 2 creations + 2 pushes; exact: 1 push; repos: 4 creations
        await(() -> receiver.received().size() >= 9, Duration.ofSeconds(10));
        Thread.sleep(500); // nothing more may come
        assertThat(receiver.distinct("/team").values()).extracting(r -> r.body().path("detail").path("repository-name").asText())
                .containsExactlyInAnyOrder("team/a", "team/a", "team/b", "team/b");
        assertThat(receiver.distinct("/exact").values()).singleElement().satisfies(r -> {
            assertThat(r.body().path("detail").path("repository-name").asText()).isEqualTo("other");
            assertThat(r.body().path("detail").path("action-type").asText()).isEqualTo("PUSH");
        });
        assertThat(receiver.distinct("/repos").values()).extracting(r -> r.body().path("detail-type").asText())
                .containsExactly("Wharf Repository Action", "Wharf Repository Action", "Wharf Repository Action",
                        "Wharf Repository Action");
        assertThat(receiver.distinct("/off")).isEmpty();
        assertThat(receiver.received()).hasSize(9);
        assertThat(counts(off).path("PENDING").asInt()).as("a disabled subscription queues nothing").isZero();
    }

    @Test
    void aHangingReceiverHoldsUpNeitherPushesNorAnotherSubscription() throws Exception {
        start(10, Duration.ofSeconds(5));
        receiver.pathBehaviour("/slow", new Answer(200, 4000)); // longer than the test waits for the fast one
        String slow = subscribe("/slow", Map.of("eventTypes", List.of("ImagePushed")));
        subscribe("/fast", Map.of("eventTypes", List.of("ImagePushed")));
        long start = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            pushImage("app", "v" + i);
        }
        Duration pushes = Duration.ofNanos(System.nanoTime() - start);
        await(() -> receiver.distinct("/fast").size() == 8, Duration.ofSeconds(3));
        assertThat(pushes).as("8 pushes while a receiver hangs").isLessThan(Duration.ofSeconds(3));
        // first attempts straight from the outbox (at most its cap), given up after the first-attempt timeout (2 s);
        // then the sender's (at most its cap), with the whole timeout: the receiver holds all of them, Wharf never more than 4
        assertThat(receiver.distinct("/slow").size()).as("at most its in-flight cap at once").isLessThanOrEqualTo(8);
        assertThat(counts(slow).path("PENDING").asInt()).as("left to the sender after its first attempt timed out").isPositive();
    }

    private String subscribe(String path, Map<String, Object> fields) throws Exception {
        Map<String, Object> body = new java.util.HashMap<>(fields);
        body.put("url", receiver.url(path));
        HttpResponse<String> r = server.send("POST", "/wharf/v1/webhooks", root,
                HttpRequest.BodyPublishers.ofString(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body)), "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode created = ApiServer.json(r);
        receiver.secret(path, created.path("secret").asText());
        return created.path("id").asText();
    }

    private JsonNode show(String id) throws Exception {
        return show(id, "");
    }

    private JsonNode show(String id, String query) throws Exception {
        HttpResponse<String> r = server.send("GET", "/wharf/v1/webhooks/" + id + query, root);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiServer.json(r);
    }

    private JsonNode counts(String id) {
        try {
            return show(id).path("deliveryCounts");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes a one-layer image by tag; returns its digest. */
    private Digest pushImage(String repo, String tag) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + System.nanoTime() + "\"}").getBytes(UTF_8);
        byte[] layer = Fixtures.randomBytes(1024);
        for (byte[] blob : List.of(config, layer)) {
            HttpResponse<String> r = server.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(blob), root,
                    HttpRequest.BodyPublishers.ofByteArray(blob), "application/octet-stream");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        byte[] manifest = Fixtures.manifest(config, layer);
        HttpResponse<String> r = server.send("PUT", "/v2/" + repo + "/manifests/" + tag, root,
                HttpRequest.BodyPublishers.ofByteArray(manifest), Fixtures.OCI_MANIFEST);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Digest.sha256Of(manifest);
    }

    static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + limit);
            }
            Thread.sleep(50);
        }
    }
}
