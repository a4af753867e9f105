package io.wharf.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code wharf serve} with SIGKILL at random moments of concurrent pushes, again and again on
 * the same data directory, and after every restart checks: every acknowledged blob and tag is there
 * with the right bytes; every tag points at a manifest whose blobs all exist; no file in the blob
 * tree differs from its digest; stale upload files and expired sessions were cleaned up.
 */
class CrashSafetyTest {
    private static final int ITERATIONS = Integer.getInteger("wharf.crash.iterations", 8);
    private static final int PUSHERS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, Map<String, byte[]>> ackedBlobs = new ConcurrentHashMap<>();
    private final Map<String, String> ackedTags = new ConcurrentHashMap<>();

    @Test
    void killMinus9DuringPushesLosesNothingAcknowledgedAndExposesNothingPartial() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path log = tmp.resolve("wharf.log");
        // sessions idle for a second are expired, so each restart must clean up what the last run left
        Map<String, String> env = Map.of("WHARF_LIMITS_UPLOAD_TIMEOUT", "PT1S");
        Random random = new Random(7);
        for (int i = 0; i < ITERATIONS; i++) {
            try (ServerProcess server = ServerProcess.start(data, log, env)) {
                if (i > 0) {
                    assertConsistent(server, data);
                }
                List<Thread> pushers = new ArrayList<>();
                for (int p = 0; p < PUSHERS; p++) {
                    PushLoad load = new PushLoad(server, "crash/repo" + p, "i" + i, random.nextLong(), ackedBlobs, ackedTags);
                    pushers.add(Thread.ofPlatform().start(load));
                }
                Thread.sleep(200 + random.nextInt(1200));
                server.kill();
                for (Thread t : pushers) {
                    t.join(30_000);
                }
            }
            Thread.sleep(1100); // let the killed run's sessions pass their one-second expiry
        }
        try (ServerProcess server = ServerProcess.start(data, log, env)) {
            assertConsistent(server, data);
        }
        assertThat(ackedTags).as("the load must have achieved acknowledged pushes").isNotEmpty();
    }

    private void assertConsistent(ServerProcess server, Path data) throws Exception {
        assertNoStaleUploads(data);
        assertBlobTreeIntact(data);
        for (var repo : ackedBlobs.entrySet()) {
            for (var blob : repo.getValue().entrySet()) {
                HttpResponse<byte[]> res = get(server, "/v2/" + repo.getKey() + "/blobs/" + blob.getKey());
                assertThat(res.statusCode()).as("acknowledged blob %s", blob.getKey()).isEqualTo(200);
                assertThat(res.body()).isEqualTo(blob.getValue());
            }
        }
        for (var tag : ackedTags.entrySet()) {
            String[] repoTag = tag.getKey().split(":");
            HttpResponse<byte[]> res = get(server, "/v2/" + repoTag[0] + "/manifests/" + repoTag[1]);
            assertThat(res.statusCode()).as("acknowledged tag %s", tag.getKey()).isEqualTo(200);
            assertThat(sha256(res.body())).isEqualTo(tag.getValue());
        }
        assertEveryTagComplete(server);
    }

    /** Every tag the registry lists, acknowledged or not, points at a manifest whose blobs all exist. */
    private void assertEveryTagComplete(ServerProcess server) throws Exception {
        for (JsonNode repo : JSON.readTree(get(server, "/v2/_catalog").body()).get("repositories")) {
            String name = repo.asText();
            for (JsonNode tag : JSON.readTree(get(server, "/v2/" + name + "/tags/list").body()).get("tags")) {
                HttpResponse<byte[]> m = get(server, "/v2/" + name + "/manifests/" + tag.asText());
                assertThat(m.statusCode()).as("%s:%s", name, tag.asText()).isEqualTo(200);
                JsonNode manifest = JSON.readTree(m.body());
                List<JsonNode> refs = new ArrayList<>();
                refs.add(manifest.get("config"));
                manifest.get("layers").forEach(refs::add);
                for (JsonNode ref : refs) {
                    HttpResponse<byte[]> blob = get(server, "/v2/" + name + "/blobs/" + ref.get("digest").asText());
                    assertThat(blob.statusCode()).isEqualTo(200);
                    assertThat(sha256(blob.body())).isEqualTo(ref.get("digest").asText());
                }
            }
        }
    }

    private static void assertBlobTreeIntact(Path data) throws Exception {
        Path blobs = data.resolve("blobs/sha256");
        if (!Files.exists(blobs)) {
            return;
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(sha256(Files.readAllBytes(f))).as("blob file %s", f).isEqualTo("sha256:" + f.getFileName());
            }
        }
    }

    private static void assertNoStaleUploads(Path data) throws Exception {
        Path uploads = data.resolve("uploads");
        if (Files.exists(uploads)) {
            try (Stream<Path> files = Files.list(uploads)) {
                assertThat(files.toList()).as("upload files left after restart").isEmpty();
            }
        }
    }

    private HttpResponse<byte[]> get(ServerProcess server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + path))
                        .header("Authorization", server.authorization).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
