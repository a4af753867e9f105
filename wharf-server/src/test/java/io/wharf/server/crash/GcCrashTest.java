package io.wharf.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.gc.Garbage;
import io.wharf.server.gc.GcChecks;
import io.wharf.server.gc.OciClient;
import io.wharf.server.gc.OciClient.Image;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of {@code wharf serve} while its {@code gc} job deletes (issue 9 §3): after every kill no blob row is
 * without its file and the database is intact; after the last restart the collector finishes, the kept images
 * pull with the right digests, and nothing unreferenced remains. {@code -Dgc.seed=N} replays the kill timings.
 */
class GcCrashTest {
    private static final String REPO = "crash/gc";
    private static final int KILLS = Integer.getInteger("gc.kills", 3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENV = Map.of(
            "WHARF_GC_INTERVAL", "1s", "WHARF_GC_GRACE_PERIOD", "1s", "WHARF_GC_ORPHAN_MIN_AGE", "1s",
            "WHARF_JOBS_POLL_INTERVAL", "100ms", "WHARF_JOBS_LEASE_DURATION", "600ms");

    @TempDir
    Path tmp;

    @Test
    void killMinus9DuringGcLeavesNoRowWithoutFileAndGcFinishesAfterRestart() throws Exception {
        long seed = Long.getLong("gc.seed", System.nanoTime());
        System.out.println("GcCrashTest seed=" + seed + " (-Dgc.seed to replay)");
        Random random = new Random(seed);
        long t0 = System.nanoTime();
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path log = tmp.resolve("wharf.log");
        List<Image> kept = new ArrayList<>();
        Map<String, String> noGc = new java.util.HashMap<>(ENV);
        noGc.put("WHARF_GC_INTERVAL", "0"); // a cold first push may take longer than the short grace period
        try (ServerProcess server = ServerProcess.start(data, log, noGc)) {
            pushImages(new OciClient(server.port, server.authorization), random, kept);
            server.kill();
        }
        for (int kill = 1; kill <= KILLS; kill++) {
            Garbage.add(data, REPO, 2500, 200, random);
            try (ServerProcess server = ServerProcess.start(data, log, ENV)) {
                Map<String, Long> counters = awaitDeleting(server);
                Thread.sleep(random.nextInt(300));
                server.kill();
                System.out.println("GcCrashTest: kill " + kill + " at " + (System.nanoTime() - t0) / 1_000_000 + " ms, counters " + counters);
            }
            GcChecks.assertConsistent(GcChecks.read(data));
        }
        try (ServerProcess server = ServerProcess.start(data, log, ENV)) {
            GcChecks.Storage storage = awaitCollected(data, kept);
            System.out.println("GcCrashTest: collected at " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            OciClient client = new OciClient(server.port, server.authorization);
            for (Image image : kept) {
                client.pull(REPO, image.digest(), image);
            }
            GcChecks.assertCollected(storage);
        }
        GcChecks.assertCollected(GcChecks.read(data));
    }

    /** Six images, three of them deleted again (their own blobs become garbage), and some blobs never referenced. */
    private static void pushImages(OciClient client, Random random, List<Image> kept) throws Exception {
        byte[] shared = bytes(random, 4096);
        for (int i = 0; i < 6; i++) {
            Image image = Image.of(("{\"os\":\"linux\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                    List.of(shared, bytes(random, 1024 + random.nextInt(8192))));
            client.push(REPO, image, "v" + i);
            if (i % 2 == 0) {
                kept.add(image);
            } else {
                assertThat(client.deleteManifest(REPO, image.digest())).isTrue();
            }
        }
        for (int i = 0; i < 20; i++) {
            client.upload(REPO, bytes(random, 100 + i));
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Polls the job until a run is under way that has deleted something (its counters as stored with the lease). */
    private static Map<String, Long> awaitDeleting(ServerProcess server) throws Exception {
        OciClient client = new OciClient(server.port, server.authorization);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = JSON.readTree(OciClient.expect(200, client.send("GET", "/wharf/v1/jobs/gc", null, null)).body());
            JsonNode c = job.path("counters");
            if (job.path("state").asText().equals("running")
                    && c.path("blobs-deleted").asLong() + c.path("orphans-deleted").asLong() > 0) {
                return Map.of("reviewed", c.path("reviewed").asLong(), "blobs-deleted", c.path("blobs-deleted").asLong(),
                        "orphans-deleted", c.path("orphans-deleted").asLong());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the gc job never ran with deletions under way");
    }

    /** Waits until the collector has left exactly the kept images' blobs (it runs every second). */
    private static GcChecks.Storage awaitCollected(Path data, List<Image> kept) throws Exception {
        var expected = GcChecks.blobsOf(kept);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        GcChecks.Storage storage = GcChecks.read(data);
        while (System.nanoTime() < deadline) {
            storage = GcChecks.read(data);
            GcChecks.assertConsistent(storage);
            if (storage.rows().keySet().equals(expected) && storage.files().keySet().equals(expected)) {
                return storage;
            }
            Thread.sleep(500);
        }
        System.out.println("GcCrashTest: left " + storage.rows().size() + " rows, " + storage.files().size() + " files");
        return storage; // assertCollected says what is left
    }
}
