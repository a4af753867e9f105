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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code wharf serve} with SIGKILL at random moments of concurrent pushes, again and again on
 * the same data directory. Each iteration must acknowledge pushes, and any error while the server is up
 * fails the test. After every kill the database passes {@code PRAGMA integrity_check} and still records the
 * upload sessions abandoned just before it; after every restart: those sessions, expired by then, are gone
 * with their files (the start-up sweep); every acknowledged blob and tag is there with the right bytes;
 * every tag points at a manifest whose blobs all exist; no file in the blob tree differs from its digest.
 *
 * <p>The kill schedule and the pushed content come from one seed, printed at the start and named in any
 * failure; {@code -Dwharf.crash.seed=N} replays it (the timing of the load itself still varies).
 */
class CrashSafetyTest {
    private static final int ITERATIONS = Integer.getInteger("wharf.crash.iterations", 8);
    private static final String SEED_PROPERTY = "wharf.crash.seed";
    private static final int PUSHERS = 3;
    /** Short, so that what a killed run left has expired by the restart; longer than the kill takes. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(2);
    /** The kill comes this long at most after an iteration's first acknowledged push. */
    private static final int MAX_KILL_DELAY_MS = 1500;
    private static final Duration FIRST_PUSH_WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, Map<String, byte[]>> ackedBlobs = new ConcurrentHashMap<>();
    private final Map<String, String> ackedTags = new ConcurrentHashMap<>();
    private DataDirectory dir;
    private Path log;

    @Test
    void killMinus9DuringPushesLosesNothingAcknowledgedAndExposesNothingPartial() throws Exception {
        long seed = Long.getLong(SEED_PROPERTY, new SecureRandom().nextLong());
        System.out.println("CrashSafetyTest seed " + seed + " (replay: -D" + SEED_PROPERTY + "=" + seed + ")");
        Path data = Files.createDirectories(tmp.resolve("data"));
        dir = new DataDirectory(data);
        log = tmp.resolve("wharf.log");
        try {
            run(data, new Random(seed));
        } catch (Exception | AssertionError e) {
            throw new AssertionError("seed " + seed + " (replay: -D" + SEED_PROPERTY + "=" + seed + ", server log " + log
                    + "): " + e.getMessage(), e);
        }
    }

    private void run(Path data, Random random) throws Exception {
        Map<String, String> env = Map.of("WHARF_LIMITS_UPLOAD_TIMEOUT", UPLOAD_TIMEOUT.toString());
        for (int i = 0; i < ITERATIONS; i++) {
            long killedAt;
            try (ServerProcess server = ServerProcess.start(data, log, env)) {
                if (i > 0) {
                    assertRecovered(server);
                }
                killedAt = pushAndKill(server, i, random);
            }
            // everything the killed run recorded has expired once the upload timeout has passed since the kill
            Thread.sleep(Math.max(0, killedAt + UPLOAD_TIMEOUT.toMillis() + 200 - System.currentTimeMillis()));
        }
        try (ServerProcess server = ServerProcess.start(data, log, env)) {
            assertRecovered(server);
        }
        dir.assertDatabaseIntact();
    }

    /** Runs the load, kills the server at a random moment after its first acknowledged push; returns when. */
    private long pushAndKill(ServerProcess server, int iteration, Random random) throws Exception {
        long startedAt = System.currentTimeMillis();
        List<PushLoad> loads = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PUSHERS; p++) {
            PushLoad load = new PushLoad(server, "crash/repo" + p, "i" + iteration, random.nextLong(), ackedBlobs, ackedTags);
            loads.add(load);
            threads.add(Thread.ofPlatform().start(load));
        }
        awaitFirstPush(loads, iteration);
        Thread.sleep(random.nextInt(MAX_KILL_DELAY_MS));
        long abandonedFrom = System.currentTimeMillis(); // the sessions expire no earlier than the timeout after this
        Map<String, Long> abandoned = abandonUploads(server, random);
        server.kill();
        long killedAt = System.currentTimeMillis();
        assertThat(killedAt - abandonedFrom).as("ms from abandoning uploads to the kill, must be within their timeout")
                .isLessThan(UPLOAD_TIMEOUT.toMillis());
        for (Thread t : threads) {
            t.join(30_000);
            assertThat(t.isAlive()).as("iteration %d: a pusher still runs 30 s after the kill", iteration).isFalse();
        }
        assertNoFailure(loads, iteration);
        int pushes = loads.stream().mapToInt(PushLoad::pushes).sum();
        System.out.println("iteration " + iteration + ": " + pushes + " pushes acknowledged before the kill, "
                + (killedAt - startedAt) + " ms after the load started");
        assertThat(pushes).as("iteration %d: acknowledged pushes", iteration).isPositive();
        assertCrashImage(abandoned);
        return killedAt;
    }

    /** Progress check of each iteration: pushes are acknowledged while the server is up, and none fails. */
    private static void awaitFirstPush(List<PushLoad> loads, int iteration) throws InterruptedException {
        long deadline = System.nanoTime() + FIRST_PUSH_WITHIN.toNanos();
        while (loads.stream().mapToInt(PushLoad::pushes).sum() == 0) {
            assertNoFailure(loads, iteration);
            assertThat(System.nanoTime()).as("iteration %d: no push acknowledged within %s while the server was up",
                    iteration, FIRST_PUSH_WITHIN).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void assertNoFailure(List<PushLoad> loads, int iteration) {
        for (PushLoad load : loads) {
            if (load.failure() != null) {
                throw new AssertionError("iteration " + iteration + ": push failed while the server was up: "
                        + load.failure(), load.failure());
            }
        }
    }

    /** Leaves upload sessions behind, one with bytes and one without; returns id → acknowledged offset. */
    private static Map<String, Long> abandonUploads(ServerProcess server, Random random) throws Exception {
        PushLoad abandoner = new PushLoad(server, "crash/abandoned", "unused", random.nextLong(), new ConcurrentHashMap<>(),
                new ConcurrentHashMap<>());
        byte[] chunk = new byte[1 + random.nextInt(64 << 10)];
        random.nextBytes(chunk);
        return Map.of(abandoner.abandonUpload(chunk), (long) chunk.length, abandoner.abandonUpload(new byte[0]), 0L);
    }

    /** What the kill left, before any restart: an intact database that still records the abandoned sessions. */
    private void assertCrashImage(Map<String, Long> abandoned) throws Exception {
        dir.assertDatabaseIntact();
        Map<String, Long> rows = dir.uploadRows();
        for (var session : abandoned.entrySet()) {
            assertThat(rows).as("abandoned upload session at the kill").containsEntry(session.getKey(), session.getValue());
            assertThat(dir.uploadFile(session.getKey())).hasSize(session.getValue());
        }
    }

    private void assertRecovered(ServerProcess server) throws Exception {
        assertThat(dir.uploadRows()).as("upload sessions after the restart (all expired before it)").isEmpty();
        assertThat(dir.uploadFiles()).as("upload files after the restart").isEmpty();
        Set<String> blobDigests = new HashSet<>();
        Set<String> readBack = new HashSet<>();
        for (var repo : ackedBlobs.entrySet()) {
            for (var blob : repo.getValue().entrySet()) {
                HttpResponse<byte[]> res = get(server, "/v2/" + repo.getKey() + "/blobs/" + blob.getKey());
                assertThat(res.statusCode()).as("acknowledged blob %s", blob.getKey()).isEqualTo(200);
                assertThat(res.body()).isEqualTo(blob.getValue());
                blobDigests.add(blob.getKey());
                readBack.add(repo.getKey() + "@" + blob.getKey());
            }
        }
        for (var tag : ackedTags.entrySet()) {
            String[] repoTag = tag.getKey().split(":");
            HttpResponse<byte[]> res = get(server, "/v2/" + repoTag[0] + "/manifests/" + repoTag[1]);
            assertThat(res.statusCode()).as("acknowledged tag %s", tag.getKey()).isEqualTo(200);
            assertThat(DataDirectory.sha256(res.body())).isEqualTo(tag.getValue());
        }
        assertEveryTagComplete(server, readBack);
        dir.assertBlobTreeIntact(blobDigests);
    }

    /**
     * Every tag the registry lists, acknowledged or not, points at a manifest whose blobs all exist; blobs in
     * {@code readBack} ("repo@digest") were just read back with their acknowledged bytes and are not fetched again.
     */
    private void assertEveryTagComplete(ServerProcess server, Set<String> readBack) throws Exception {
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
                    if (readBack.contains(name + "@" + ref.get("digest").asText())) {
                        continue;
                    }
                    HttpResponse<byte[]> blob = get(server, "/v2/" + name + "/blobs/" + ref.get("digest").asText());
                    assertThat(blob.statusCode()).isEqualTo(200);
                    assertThat(DataDirectory.sha256(blob.body())).isEqualTo(ref.get("digest").asText());
                }
            }
        }
    }

    private HttpResponse<byte[]> get(ServerProcess server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + path))
                        .header("Authorization", server.authorization).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
