package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.core.webhook.WebhookSettings;
import io.wharf.server.config.WharfConfig;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /wharf/v1/webhooks}: managing subscriptions, its errors, its authorization and the test event. */
class WebhooksApiTest {
    private static final String BASE = "/wharf/v1/webhooks";

    @TempDir
    Path data;

    private ApiServer server;
    private WebhookReceiver receiver;
    private String root;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        WebhookSettings sender = new WebhookSettings(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(300), 3,
                16, 4, Duration.ofDays(1));
        server = new ApiServer(data, c -> c.withWebhooks(new WharfConfig.Webhooks(true, Duration.ofMillis(100), sender)));
        root = server.root();
    }

    @AfterEach
    void stop() {
        server.close();
        receiver.close();
    }

    @Test
    void aSubscriptionIsCreatedListedShownChangedAndDeleted() throws Exception {
        HttpResponse<String> created = send("POST", BASE, root, """
                {"url":"%s","repository":"team/*","eventTypes":["ImagePushed","ECR Image Scan"]}""".formatted(receiver.url("/a")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode s = ApiServer.json(created);
        String id = s.path("id").asText();
        assertThat(id).startsWith("wh-");
        assertThat(s.path("secret").asText()).startsWith("whsec_").hasSize(6 + 64);
        assertThat(s.path("account").asText()).isEqualTo(ApiServer.ACCOUNT);
        assertThat(s.path("repository").asText()).isEqualTo("team/*");
        assertThat(s.path("enabled").asBoolean()).isTrue();
        assertThat(s.path("lastAttempt").isNull()).isTrue();

        JsonNode list = ApiServer.json(server.send("GET", BASE, root));
        assertThat(list.path("webhooks")).singleElement().satisfies(w -> {
            assertThat(w.path("id").asText()).isEqualTo(id);
            assertThat(w.has("secret")).as("the secret is shown once").isFalse();
        });
        JsonNode shown = ApiServer.json(server.send("GET", BASE + "/" + id, root));
        assertThat(shown.has("secret")).isFalse();
        assertThat(shown.path("eventTypes")).extracting(JsonNode::asText).containsExactly("ImagePushed", "ECR Image Scan");
        assertThat(shown.path("deliveryCounts").path("PENDING").asInt()).isZero();

        HttpResponse<String> patched = send("PATCH", BASE + "/" + id, root, """
                {"enabled":false,"repository":null,"eventTypes":[]}""");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode p = ApiServer.json(patched);
        assertThat(p.path("enabled").asBoolean()).isFalse();
        assertThat(p.path("repository").isNull()).isTrue();
        assertThat(p.path("eventTypes")).isEmpty();
        assertThat(p.path("url").asText()).isEqualTo(receiver.url("/a"));

        assertThat(server.send("DELETE", BASE + "/" + id, root).statusCode()).isEqualTo(204);
        assertThat(server.send("GET", BASE + "/" + id, root).statusCode()).isEqualTo(404);
        assertThat(server.send("DELETE", BASE + "/" + id, root).statusCode()).isEqualTo(404);
        assertThat(ApiServer.json(server.send("GET", BASE, root)).path("webhooks")).isEmpty();
    }

    @Test
    void aGivenSecretSignsTheTestEvent() throws Exception {
        String secret = "a-secret-of-my-own-choosing";
        receiver.secret("/t", secret);
        HttpResponse<String> created = send("POST", BASE, root, """
                {"url":"%s","secret":"%s","eventTypes":["ImagePulled"]}""".formatted(receiver.url("/t"), secret));
        String id = ApiServer.json(created).path("id").asText();
        HttpResponse<String> test = server.send("POST", BASE + "/" + id + "/test", root);
        assertThat(test.statusCode()).as(test.body()).isEqualTo(202);
        assertThat(ApiServer.json(test).path("detailType").asText()).isEqualTo("Wharf Webhook Test");
        WebhookDeliveryTest.await(() -> !receiver.received().isEmpty(), Duration.ofSeconds(10));
        WebhookReceiver.Received r = receiver.received().getFirst();
        assertThat(r.verified()).isTrue();
        assertThat(r.body().path("detail-type").asText()).isEqualTo("Wharf Webhook Test");
        assertThat(r.body().path("source").asText()).isEqualTo("wharf.registry");
        assertThat(r.body().path("detail").path("subscription-id").asText()).isEqualTo(id);
        WebhookDeliveryTest.await(() -> lastStatus(id) == 200, Duration.ofSeconds(5));
    }

    @Test
    void badRequestsAreRefusedWithTheirReason() throws Exception {
        assertError(send("POST", BASE, root, "{\"url\":\"ftp://example.test/\"}"), 400, "url must be");
        assertError(send("POST", BASE, root, "{\"url\":\"http://user:pw@example.test/\"}"), 400, "without credentials");
        assertError(send("POST", BASE, root, "{}"), 400, "url must be");
        assertError(send("POST", BASE, root, "{\"url\":\"http://example.test/\",\"eventTypes\":[\"Pushed\"]}"), 400,
                "unknown event type 'Pushed'");
        assertError(send("POST", BASE, root, "{\"url\":\"http://example.test/\",\"eventTypes\":\"ImagePushed\"}"), 400,
                "eventTypes must be an array");
        assertError(send("POST", BASE, root, "{\"url\":\"http://example.test/\",\"repository\":\"Bad Name\"}"), 400,
                "repository must be");
        assertError(send("POST", BASE, root, "{\"url\":\"http://example.test/\",\"secret\":\"short\"}"), 400, "secret must have");
        assertError(send("POST", BASE, root, "not json"), 400, "not valid JSON");
        assertError(send("POST", BASE, root, "{\"url\":\"http://example.test/\",\"x\":\"" + "a".repeat(20_000) + "\"}"), 400,
                "exceeds the limit");
        assertError(server.send("PUT", BASE, root), 405, "not allowed");
        assertError(server.send("GET", BASE + "/wh-nope", root), 404, "no webhook wh-nope");
        String id = ApiServer.json(send("POST", BASE, root, "{\"url\":\"http://example.test/\"}")).path("id").asText();
        assertError(send("PATCH", BASE + "/" + id, root, "{\"secret\":\"0123456789abcdef0\"}"), 400, "cannot be changed");
        assertError(send("PATCH", BASE + "/" + id, root, "{\"enabled\":\"yes\"}"), 400, "enabled must be");
        assertError(server.send("GET", BASE + "/" + id + "/test", root), 405, "not allowed");
        assertError(server.send("POST", BASE + "/" + id + "/replay?delivery=x", root), 400, "delivery must be");
        assertError(server.send("GET", BASE + "/" + id + "?state=LOST", root), 400, "state must be");
    }

    @Test
    void managingWebhooksNeedsTheActionAndStaysInTheCallersAccount() throws Exception {
        assertThat(server.send("GET", BASE, null).statusCode()).isEqualTo(401);
        String nobody = server.user("nobody", "*");
        assertThat(server.send("GET", BASE, nobody).statusCode()).isEqualTo(403);
        assertThat(send("POST", BASE, nobody, "{\"url\":\"http://example.test/\"}").statusCode()).isEqualTo(403);
        String other = server.user("other", "*", "wharf:ListJobs");
        assertThat(server.send("GET", BASE, other).statusCode()).isEqualTo(403);
        String manager = server.user("manager", "*", "wharf:ManageWebhooks");
        HttpResponse<String> created = send("POST", BASE, manager, "{\"url\":\"http://example.test/\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = ApiServer.json(created).path("id").asText();
        String one = server.user("one", "arn:aws:wharf:us-east-1:" + ApiServer.ACCOUNT + ":webhook/" + id, "wharf:ManageWebhooks");
        assertThat(server.send("GET", BASE + "/" + id, one).statusCode()).isEqualTo(200);
        assertThat(server.send("GET", BASE, one).statusCode()).as("listing needs webhook/*").isEqualTo(403);
    }

    private int lastStatus(String id) {
        try {
            return ApiServer.json(server.send("GET", BASE + "/" + id, root)).path("lastAttempt").path("status").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String auth, String json) throws Exception {
        return server.send(method, path, auth, HttpRequest.BodyPublishers.ofString(json), "application/json");
    }

    private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(ApiServer.json(r).path("message").asText()).contains(message);
    }
}
