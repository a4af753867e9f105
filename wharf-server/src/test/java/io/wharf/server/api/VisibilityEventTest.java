package io.wharf.server.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.webhook.WebhookSettings;
import io.wharf.server.api.WebhookReceiver.Received;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Making a repository public or private over Wharf's API writes its event in the same transaction: a real receiver
 * subscribed to its detail-type gets one envelope per change (none for setting what already is), and the audit
 * trail records the calls.
 */
class VisibilityEventTest {
    private static final String REPO = "team/app";

    @TempDir
    Path data;
    private ApiServer server;
    private WebhookReceiver receiver;

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
    void publicThenPrivateArriveAsTwoVisibilityChanges() throws Exception {
        receiver = new WebhookReceiver();
        WebhookSettings sender = new WebhookSettings(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(300),
                5, 16, 4, Duration.ofDays(1));
        server = new ApiServer(data, c -> c.withWebhooks(new WharfConfig.Webhooks(true, Duration.ofMillis(100), sender)));
        String root = server.root();
        subscribe(root, List.of("Wharf Repository Visibility Change"));
        push(root);

        for (String method : List.of("PUT", "PUT", "DELETE")) {
            HttpResponse<String> r = server.send(method, "/wharf/v1/repositories/" + REPO + "/public", root);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        await(() -> receiver.distinct("/hook").size() >= 2);
        Thread.sleep(500); // a third (wrong) delivery would have come by now
        List<JsonNode> events = receiver.distinct("/hook").values().stream().map(Received::body)
                .sorted((a, b) -> a.path("time").asText().compareTo(b.path("time").asText())).toList();
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e.path("detail-type").asText()).isEqualTo("Wharf Repository Visibility Change");
            assertThat(e.path("source").asText()).isEqualTo("wharf.registry");
            assertThat(e.path("detail").path("repository-name").asText()).isEqualTo(REPO);
            assertThat(e.path("detail").path("action-type").asText()).isEqualTo("SET_VISIBILITY");
        });
        assertThat(events).extracting(e -> e.path("detail").path("visibility").asText())
                .containsExactlyInAnyOrder("PUBLIC", "PRIVATE");
        assertThat(receiver.received()).allSatisfy(r -> assertThat(r.verified()).isTrue());

        JsonNode audit = ApiServer.json(server.send("GET",
                "/wharf/v1/audit/events?eventName=SetRepositoryVisibility&repository=" + REPO, root));
        assertThat(audit.path("events")).as(audit.toString()).hasSize(3);
        assertThat(audit.path("events").findValuesAsText("public")).as("newest first").containsExactly("false", "true",
                "true");
    }

    private void subscribe(String root, List<String> types) throws Exception {
        String body = new ObjectMapper().writeValueAsString(Map.of("url", receiver.url("/hook"), "eventTypes", types));
        HttpResponse<String> r = server.send("POST", "/wharf/v1/webhooks", root, HttpRequest.BodyPublishers.ofString(body),
                "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        receiver.secret("/hook", ApiServer.json(r).path("secret").asText());
    }

    private void push(String root) throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(UTF_8);
        byte[] layer = Fixtures.randomBytes(512);
        for (byte[] blob : List.of(config, layer)) {
            HttpResponse<String> r = server.send("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + Fixtures.digest(blob),
                    root, HttpRequest.BodyPublishers.ofByteArray(blob), "application/octet-stream");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        HttpResponse<String> r = server.send("PUT", "/v2/" + REPO + "/manifests/v1", root,
                HttpRequest.BodyPublishers.ofByteArray(Fixtures.manifest(config, layer)), Fixtures.OCI_MANIFEST);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(done.getAsBoolean()).as("in time").isTrue();
    }
}
