package io.wharf.bench.gc;

import io.wharf.core.service.GarbageCollector;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.jobs.StandardJobs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 9 §4: what a garbage collection run costs the clients of a serving registry. The production server in
 * this process ({@code Wiring} + {@code Application}, as {@code wharf serve} wires it, authentication off,
 * scheduled jobs off) gets a backlog of small unreferenced blobs; each round measures manifest GETs by tag (32
 * concurrent clients, p50/p99, requests/s) and the wall time of pushes of a 4 × 8 MiB image, once while the
 * collector works through the backlog and once without it (the order alternates between rounds), after an
 * unmeasured warm-up of both. Prints
 * {@code serving <round> <gc|idle> <figure> <value>} lines.
 */
final class ServingBench {
    private static final String REPO = "bench/app";
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final int CLIENTS = 32;
    private static final int PUSHES = 3;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random(1);
    private String base;

    static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int blobs = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        new ServingBench().run(dir, blobs, rounds, seconds);
    }

    private void run(Path dir, int blobs, int rounds, int seconds) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("WHARF_DATA", dir.toString(), "WHARF_LISTEN", "127.0.0.1:0",
                "WHARF_AUTH_ENABLED", "false", "WHARF_GC_INTERVAL", "0", "WHARF_GC_GRACE_PERIOD", "0",
                "WHARF_INTEGRITY_SCRUB_PERIOD", "0", "WHARF_LIFECYCLE_INTERVAL", "0"));
        // the pace under test: the configured default unless the environment sets one
        String pace = System.getenv("WHARF_GC_MAX_DELETIONS_PER_SECOND");
        if (pace != null) {
            env.put("WHARF_GC_MAX_DELETIONS_PER_SECOND", pace);
        }
        WharfConfig config = ConfigLoader.load(null, env, Map.of()).config();
        System.err.printf(Locale.ROOT, "gc.max-deletions-per-second: %d%n", config.gc().maxDeletionsPerSecond());
        Backlog.initialize(dir);
        for (int round = 1; round <= rounds; round++) {
            long t = System.nanoTime();
            new Backlog(dir, round).small(blobs);
            GcBench.sync();
            System.err.printf(Locale.ROOT, "round %d: backlog of %d blobs written in %.1f s%n", round, blobs,
                    (System.nanoTime() - t) / 1e9);
            Backend backend = Wiring.open(config);
            Application app = Application.start(config, backend, r -> Wiring.api(r, config, backend.auth()));
            try {
                base = "http://127.0.0.1:" + app.server().port() + "/v2/" + REPO;
                push("latest"); // the GET target
                getLoad(Math.max(2, seconds / 2)); // warm-up, not measured
                push("warm-up-" + round);
                GarbageCollector gc = StandardJobs.garbageCollector(config, backend.registry());
                boolean gcFirst = round % 2 == 0;
                measure(round, gcFirst ? gc : null, seconds);
                measure(round, gcFirst ? null : gc, seconds);
            } finally {
                app.stop();
                app.awaitStopped();
            }
        }
    }

    /** GET load, then pushes; with {@code gc}, while it runs (and it must still run when they end). */
    private void measure(int round, GarbageCollector gc, int seconds) throws Exception {
        String phase = gc == null ? "idle" : "gc";
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong deleted = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread collector = null;
        if (gc != null) {
            collector = Thread.ofPlatform().name("gc").start(() -> {
                gc.run(stop::get, r -> {
                    deleted.set(r.blobsDeleted());
                    started.countDown();
                });
                finished.set(!stop.get());
                started.countDown();
            });
            started.await();
        }
        long[] latencies = getLoad(seconds);
        double[] pushes = new double[PUSHES];
        for (int i = 0; i < PUSHES; i++) {
            long t = System.nanoTime();
            push(phase + "-" + round + "-" + i);
            pushes[i] = (System.nanoTime() - t) / 1e9;
        }
        if (collector != null) {
            if (finished.get()) {
                throw new IllegalStateException("the collector ran out of backlog before the measurements ended");
            }
            stop.set(true);
            collector.join();
            print(round, phase, "gc-deleted", deleted.get());
        }
        Arrays.sort(latencies);
        Arrays.sort(pushes);
        print(round, phase, "get-rps", latencies.length / (double) seconds);
        print(round, phase, "get-p50-ms", latencies[latencies.length / 2] / 1e6);
        print(round, phase, "get-p99-ms", latencies[(int) (latencies.length * 0.99)] / 1e6);
        print(round, phase, "push-median-s", pushes[PUSHES / 2]);
    }

    private static void print(int round, String phase, String figure, double value) {
        System.out.printf(Locale.ROOT, "serving\t%d\t%s\t%s\t%.3f%n", round, phase, figure, value);
    }

    /** {@link #CLIENTS} virtual threads GET the manifest by tag back to back; every answer must be 200. */
    private long[] getLoad(int seconds) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/manifests/latest")).header("Accept", MANIFEST_TYPE).build();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long[][] mine = {new long[1024]};
            int[] n = {0};
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long t = System.nanoTime();
                        HttpResponse<byte[]> res = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
                        if (res.statusCode() != 200) {
                            throw new IllegalStateException("GET manifest: " + res.statusCode());
                        }
                        if (n[0] == mine[0].length) {
                            mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                        }
                        mine[0][n[0]++] = System.nanoTime() - t;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                synchronized (perClient) {
                    perClient.add(Arrays.copyOf(mine[0], n[0]));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (perClient.size() != CLIENTS) {
            throw new IllegalStateException("a GET client failed");
        }
        return perClient.stream().flatMapToLong(Arrays::stream).toArray();
    }

    /** Config and four fresh 8 MiB layers, each HEAD then monolithic POST, then the manifest. */
    private void push(String tag) throws Exception {
        List<byte[]> blobs = new ArrayList<>();
        blobs.add(("{\"os\":\"linux\",\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8));
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            byte[] layer = new byte[8 << 20];
            random.nextBytes(layer);
            blobs.add(layer);
            layers.append(i == 0 ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer));
        }
        for (byte[] b : blobs) {
            String d = digest(b);
            if (send("HEAD", "/blobs/" + d, null).statusCode() != 200) {
                expect(201, send("POST", "/blobs/uploads/?digest=" + d, b));
            }
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", blobs.getFirst()) + ",\"layers\":[" + layers + "]}";
        expect(201, send("PUT", "/manifests/" + tag, manifest.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (path.startsWith("/manifests/")) {
            b.header("Content-Type", MANIFEST_TYPE);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void expect(int status, HttpResponse<byte[]> res) {
        if (res.statusCode() != status) {
            throw new IllegalStateException(res.request().method() + " " + res.uri() + ": " + res.statusCode() + " "
                    + new String(res.body(), StandardCharsets.UTF_8));
        }
    }

    private static String descriptor(String type, byte[] content) throws Exception {
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + digest(content) + "\",\"size\":" + content.length + "}";
    }

    private static String digest(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
