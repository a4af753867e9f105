package io.wharf.server.api;

import static io.wharf.server.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.usage.PullEvents;
import io.wharf.core.usage.UsageSettings;
import io.wharf.server.oci.Fixtures;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls counted on a real server (authentication on, SQLite), flushed, and read back through the usage API. */
class UsagePullsTest {
    private static final byte[] LAYER = Fixtures.randomBytes(5000);
    private static final byte[] CONFIG = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;

    @Test
    void pullsAndBytesPulledAreExactPerRepositoryAndDay() throws Exception {
        UsageSettings every = new UsageSettings(Duration.ofMillis(200), PullEvents.EVERY, 0.8, 0, 100, Duration.ZERO);
        try (ApiServer server = new ApiServer(data, c -> c.withUsage(every))) {
            byte[] manifest = push(server, "team/app");
            push(server, "team/other");
            for (int i = 0; i < 7; i++) {
                assertThat(status(server, "GET", "/v2/team/app/manifests/v1")).isEqualTo(200);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(status(server, "GET", "/v2/team/app/blobs/" + Fixtures.digest(LAYER))).isEqualTo(200);
            }
            assertThat(status(server, "HEAD", "/v2/team/app/manifests/v1")).as("a HEAD is not a pull").isEqualTo(200);
            assertThat(status(server, "GET", "/v2/team/app/manifests/missing")).isEqualTo(404);
            assertThat(status(server, "GET", "/v2/team/other/manifests/v1")).isEqualTo(200);

            long bytes = 7L * manifest.length + 3L * LAYER.length;
            JsonNode pulls = awaitPulls(server, "/wharf/v1/repositories/team/app/usage?days=1", 7, bytes);
            assertThat(pulls).hasSize(1);
            assertThat(pulls.get(0).get("day").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
            assertThat(pulls.get(0).get("bytes").asLong()).isEqualTo(bytes);
            JsonNode account = awaitPulls(server, "/wharf/v1/usage", 8, bytes + manifest.length);
            assertThat(account.get(0).get("bytes").asLong()).isEqualTo(bytes + manifest.length);

            List<RegistryEvent.ImagePulled> events = pulled(server.metadata());
            assertThat(events.stream().mapToLong(RegistryEvent.ImagePulled::count).sum())
                    .as("every: pull events per digest and interval, with their counts").isEqualTo(8);
            assertThat(events).extracting(e -> e.repository().value()).containsOnly("team/app", "team/other");
        }
    }

    @Test
    void anonymousPullsOfAPublicRepositoryAreCountedAsPulls() throws Exception {
        UsageSettings every = new UsageSettings(Duration.ofMillis(200), PullEvents.EVERY, 0.8, 0, 100, Duration.ZERO);
        try (ApiServer server = new ApiServer(data, c -> c.withUsage(every))) {
            push(server, "pub/app");
            assertThat(status(server, "PUT", "/wharf/v1/repositories/pub/app/public")).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                assertThat(server.send("GET", "/v2/pub/app/manifests/v1", null).statusCode()).isEqualTo(200);
            }
            awaitPulls(server, "/wharf/v1/repositories/pub/app/usage?days=1", 3, -1);
        }
    }

    @Test
    void countsNotYetFlushedAreWrittenAtShutdown() throws Exception {
        UsageSettings slow = new UsageSettings(Duration.ofHours(1), PullEvents.DAILY, 0.8, 0, 100, Duration.ZERO);
        ApiServer server = new ApiServer(data, c -> c.withUsage(slow));
        push(server, "team/app");
        for (int i = 0; i < 4; i++) {
            assertThat(status(server, "GET", "/v2/team/app/manifests/v1")).isEqualTo(200);
        }
        assertThat(get(server, "/wharf/v1/repositories/team/app/usage").get("pulls")).as("not flushed yet").isEmpty();
        server.close();
        try (ApiServer again = new ApiServer(data, c -> c.withUsage(slow))) {
            JsonNode pulls = get(again, "/wharf/v1/repositories/team/app/usage").get("pulls");
            assertThat(pulls.get(0).get("pulls").asLong()).isEqualTo(4);
            assertThat(pulled(again.metadata())).extracting(RegistryEvent.ImagePulled::count)
                    .as("daily: the one pull event of the day, from the recorded pull time").containsExactly(1L);
        }
    }

    private static byte[] push(ApiServer server, String repository) throws Exception {
        for (byte[] blob : new byte[][] {CONFIG, LAYER}) {
            HttpResponse<String> r = server.send("POST", "/v2/" + repository + "/blobs/uploads/?digest="
                    + Fixtures.digest(blob), server.root(), BodyPublishers.ofByteArray(blob), "application/octet-stream");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        byte[] manifest = Fixtures.manifest(CONFIG, LAYER);
        HttpResponse<String> r = server.send("PUT", "/v2/" + repository + "/manifests/v1", server.root(),
                BodyPublishers.ofByteArray(manifest), Fixtures.OCI_MANIFEST);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return manifest;
    }

    private static int status(ApiServer server, String method, String path) throws Exception {
        return server.send(method, path, server.root()).statusCode();
    }

    private static JsonNode get(ApiServer server, String path) throws Exception {
        HttpResponse<String> r = server.send("GET", path, server.root());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    /** The answer's pulls (the repository's, or the account's) once they add up to {@code total}: flushes are async. */
    /**
     * Waits until {@code path} reports {@code total} pulls and, unless negative, {@code bytes} bytes pulled: a request's
     * pull and its bytes are tallied after its answer went out, so they may reach different flushes.
     */
    private static JsonNode awaitPulls(ApiServer server, String path, long total, long bytes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode answer = get(server, path);
            JsonNode pulls = answer.has("account") ? answer.get("account").get("pulls") : answer.get("pulls");
            long sum = 0;
            long bytesSum = 0;
            for (JsonNode d : pulls) {
                sum += d.get("pulls").asLong();
                bytesSum += d.get("bytes").asLong();
            }
            boolean done = sum == total && (bytes < 0 || bytesSum == bytes);
            if (done || System.nanoTime() > deadline) {
                assertThat(sum).as(path).isEqualTo(total);
                if (bytes >= 0) {
                    assertThat(bytesSum).as(path + " bytes").isEqualTo(bytes);
                }
                return pulls;
            }
            Thread.sleep(50);
        }
    }

    private static List<RegistryEvent.ImagePulled> pulled(MetadataStore store) {
        return store.eventsAfter(0, 10_000).stream().map(StoredEvent::event)
                .filter(RegistryEvent.ImagePulled.class::isInstance).map(RegistryEvent.ImagePulled.class::cast).toList();
    }
}
