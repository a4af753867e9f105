package io.wharf.server.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.service.GarbageCollector;
import io.wharf.core.service.GarbageCollector.Report;
import io.wharf.server.gc.OciClient.Image;
import io.wharf.server.oci.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Online GC under load (issue 9 §3): a real registry (Jetty, SQLite, files) collects continuously with a short
 * grace period while clients push, re-push, mount, delete and pull in a seeded random mix. Every request must get
 * an answer the clients' own model allows; afterwards every live image pulls with the right digests and, once
 * the grace period has passed, nothing unreferenced is left. {@code -Dgc.seed=N} replays a mix (the interleaving
 * differs), {@code -Dgc.seconds}, {@code -Dgc.grace-ms} and {@code -Dgc.workers} change its size.
 */
class GcConcurrencyTest {
    static final String[] REPOS = {"gc/a", "gc/b", "gc/c"};

    private final long seed = Long.getLong("gc.seed", System.nanoTime());
    private final Duration grace = Duration.ofMillis(Long.getLong("gc.grace-ms", 1000));
    private final long seconds = Long.getLong("gc.seconds", 20);
    private final int workers = Integer.getInteger("gc.workers", 4);

    @Test
    void collectsWhileClientsPushMountDeleteAndPull() throws Exception {
        System.out.println("GcConcurrencyTest seed=" + seed + " (-Dgc.seed to replay) grace=" + grace);
        Random random = new Random(seed);
        List<byte[]> sharedLayers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sharedLayers.add(bytes(random, 256 + random.nextInt(8192)));
        }
        try (TestRegistry reg = new TestRegistry()) {
            GarbageCollector gc = reg.registry.garbageCollector(new GarbageCollector.Settings(grace, grace));
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            Collector collector = new Collector(gc, stop, errors);
            Thread gcThread = Thread.ofPlatform().name("gc-loop").start(collector);
            List<ClientModel> models = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < workers; t++) {
                ClientModel model = new ClientModel(t, new OciClient(reg.port, null), sharedLayers, seed + t, grace, errors);
                models.add(model);
                threads.add(Thread.ofPlatform().name("client-" + t).start(() -> model.runUntil(stop)));
            }
            Thread.sleep(seconds * 1000);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            gcThread.join();
            long ops = models.stream().mapToLong(m -> m.ops).sum();
            long slow = models.stream().mapToLong(m -> m.slowPushRetries).sum();
            System.out.println("GcConcurrencyTest: " + ops + " operations, " + collector.runs.get() + " GC runs, "
                    + collector.blobsDeleted.get() + " blobs and " + collector.orphans.get() + " orphans deleted, "
                    + slow + " pushes slower than the grace period retried");
            GcChecks.Storage settled = GcChecks.read(reg.dataDir);
            assertThat(errors).as("unexpected answers (seed " + seed + "); rows without a file: "
                    + settled.rows().keySet().stream().filter(d -> !settled.files().containsKey(d)).toList()).isEmpty();
            GcChecks.assertConsistent(settled);
            assertThat(collector.blobsDeleted.get()).as("GC collected while the clients ran").isPositive();

            for (ClientModel m : models) {
                m.pullEveryLiveImage();
            }
            gc.run(() -> false, r -> { }); // schedules what is still unscheduled
            Thread.sleep(grace.toMillis() + 50);
            Report last = gc.run(() -> false, r -> { });
            System.out.println("GcConcurrencyTest: final run " + last);
            for (ClientModel m : models) {
                m.pullEveryLiveImage();
            }
            GcChecks.Storage storage = GcChecks.read(reg.dataDir);
            GcChecks.assertCollected(storage);
            List<Image> live = new ArrayList<>();
            models.forEach(m -> live.addAll(m.liveImages()));
            assertThat(storage.rows().keySet()).as("exactly the blobs of the live images remain")
                    .containsExactlyInAnyOrderElementsOf(GcChecks.blobsOf(live));
        }
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Runs the collector back to back until stopped; an exception in a run is an error. */
    private static final class Collector implements Runnable {
        final AtomicLong runs = new AtomicLong();
        final AtomicLong blobsDeleted = new AtomicLong();
        final AtomicLong orphans = new AtomicLong();
        private final GarbageCollector gc;
        private final AtomicBoolean stop;
        private final List<String> errors;

        Collector(GarbageCollector gc, AtomicBoolean stop, List<String> errors) {
            this.gc = gc;
            this.stop = stop;
            this.errors = errors;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                try {
                    Report r = gc.run(stop::get, x -> { });
                    runs.incrementAndGet();
                    blobsDeleted.addAndGet(r.blobsDeleted());
                    orphans.addAndGet(r.orphansDeleted());
                    Thread.sleep(5);
                } catch (Throwable e) {
                    errors.add("GC run failed: " + e);
                    return;
                }
            }
        }
    }

    /** One client: what it pushed where, and what it therefore may expect. Only it touches its images and tags. */
    static final class ClientModel {
        /** One of this client's images in one repository: live (the manifest is there) with these tags. */
        static final class Placed {
            final String repo;
            final Image image;
            final List<String> tags = new ArrayList<>();
            boolean live = true;

            Placed(String repo, Image image) {
                this.repo = repo;
                this.image = image;
            }
        }

        long ops;
        long slowPushRetries;
        private final int id;
        private final OciClient client;
        private final List<byte[]> sharedLayers;
        private final Random random;
        private final Duration grace;
        private final List<String> errors;
        private final List<Image> images = new ArrayList<>();
        private final List<Placed> placed = new ArrayList<>();
        private int counter;
        private Placed lastDeleted;

        ClientModel(int id, OciClient client, List<byte[]> sharedLayers, long seed, Duration grace, List<String> errors) {
            this.id = id;
            this.client = client;
            this.sharedLayers = sharedLayers;
            this.random = new Random(seed);
            this.grace = grace;
            this.errors = errors;
        }

        void runUntil(AtomicBoolean stop) {
            while (!stop.get() && errors.size() < 10) {
                int op = random.nextInt(100);
                try {
                    step(op);
                    ops++;
                } catch (Throwable e) {
                    errors.add("client " + id + " op " + op + ": " + e);
                }
            }
        }

        private void step(int op) throws Exception {
            if (op < 25 || images.isEmpty()) {
                pushNew();
            } else if (op < 40) {
                repush();
            } else if (op < 50) {
                mountInto();
            } else if (op < 62) {
                deleteManifest();
            } else if (op < 70) {
                deleteTag();
            } else if (op < 80) {
                scratchBlob();
            } else {
                pull();
            }
        }

        private void pushNew() throws Exception {
            byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"client\":" + id + ",\"n\":" + (counter++)
                    + ",\"r\":" + random.nextLong() + "}").getBytes(StandardCharsets.UTF_8);
            List<byte[]> layers = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                byte[] l = sharedLayers.get(random.nextInt(sharedLayers.size()));
                if (!layers.contains(l)) {
                    layers.add(l);
                }
            }
            if (random.nextBoolean()) {
                layers.add(random.nextInt(layers.size() + 1), bytes(random, 128 + random.nextInt(16384)));
            }
            Image image = Image.of(config, layers);
            images.add(image);
            push(REPOS[random.nextInt(REPOS.length)], image);
        }

        /**
         * An image of this client again, deleted or not, into any repository; half the time the one it deleted last,
         * back where it was: its blobs' reviews are then pending, and the push's HEADs must postpone them.
         */
        private void repush() throws Exception {
            if (lastDeleted != null && random.nextBoolean()) {
                push(lastDeleted.repo, lastDeleted.image);
                lastDeleted = null;
                return;
            }
            push(REPOS[random.nextInt(REPOS.length)], images.get(random.nextInt(images.size())));
        }

        /**
         * The HEAD-upload-PUT protocol, a quarter of the time with a pause before the PUT of up to half the grace
         * period. The registry may only lose a blob this push relies on when the push took longer than the grace
         * period (its HEAD postponed the review by that much at least); the client then does what clients do, push
         * again.
         */
        private void push(String repo, Image image) throws Exception {
            String tag = "c" + id + "-" + (counter++);
            for (int attempt = 0; ; attempt++) { // a machine so busy that every attempt is slower than grace: failure
                long start = System.nanoTime();
                for (byte[] blob : image.blobs()) {
                    if (!client.hasBlob(repo, OciClient.digest(blob))) {
                        client.upload(repo, blob);
                    }
                }
                if (random.nextInt(4) == 0) {
                    Thread.sleep(random.nextLong(grace.toMillis() / 2)); // a slow client, still within the grace period
                }
                HttpResponse<byte[]> res = client.putManifestAnswer(repo, tag, image.manifest());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                if (res.statusCode() == 201) {
                    break;
                }
                if (attempt < 20 && took.compareTo(grace) >= 0 && new String(res.body(), StandardCharsets.UTF_8)
                        .contains("MANIFEST_BLOB_UNKNOWN")) {
                    slowPushRetries++;
                    continue;
                }
                throw new AssertionError("push of " + repo + ":" + tag + " (took " + took.toMillis() + " ms, grace "
                        + grace.toMillis() + " ms): " + res.statusCode() + " " + new String(res.body(), StandardCharsets.UTF_8));
            }
            record(repo, image).tags.add(tag);
        }

        private Placed record(String repo, Image image) {
            for (Placed p : placed) {
                if (p.repo.equals(repo) && p.image == image) {
                    p.live = true;
                    return p;
                }
            }
            Placed p = new Placed(repo, image);
            placed.add(p);
            return p;
        }

        /** A live image into another repository by cross-repository mounts: each must mount (201), its source holds it. */
        private void mountInto() throws Exception {
            Placed src = pickLive();
            if (src == null) {
                return;
            }
            String repo = REPOS[(List.of(REPOS).indexOf(src.repo) + 1 + random.nextInt(REPOS.length - 1)) % REPOS.length];
            long start = System.nanoTime();
            for (byte[] blob : src.image.blobs()) {
                if (!client.mountOrUpload(repo, src.repo, blob)) {
                    throw new AssertionError("mount from " + src.repo + " of " + OciClient.digest(blob)
                            + " opened an upload, though a manifest there references it");
                }
            }
            String tag = "c" + id + "-" + (counter++);
            HttpResponse<byte[]> res = client.putManifestAnswer(repo, tag, src.image.manifest());
            if (res.statusCode() != 201 && Duration.ofNanos(System.nanoTime() - start).compareTo(grace) >= 0) {
                slowPushRetries++;
                push(repo, src.image);
                return;
            }
            OciClient.expect(201, res);
            record(repo, src.image).tags.add(tag);
        }

        private void deleteManifest() throws Exception {
            Placed p = pickLive();
            if (p == null) {
                return;
            }
            if (!client.deleteManifest(p.repo, p.image.digest())) {
                throw new AssertionError("DELETE " + p.repo + "@" + p.image.digest() + ": 404 for a live manifest");
            }
            p.live = false;
            p.tags.clear();
            lastDeleted = p;
            if (random.nextBoolean()) {
                // its config, which nobody else references; 404 when GC took the link already
                byte[] own = p.image.config();
                client.deleteBlob(p.repo, OciClient.digest(own));
            }
        }

        private void deleteTag() throws Exception {
            Placed p = pickLive();
            if (p == null || p.tags.isEmpty()) {
                return;
            }
            String tag = p.tags.remove(random.nextInt(p.tags.size()));
            if (!client.deleteManifest(p.repo, tag)) {
                throw new AssertionError("DELETE " + p.repo + ":" + tag + ": 404 for a live tag");
            }
        }

        /** A blob nothing will reference: left for GC, or deleted at once (202, or 404 when GC was faster). */
        private void scratchBlob() throws Exception {
            String repo = REPOS[random.nextInt(REPOS.length)];
            byte[] blob = bytes(random, 64 + random.nextInt(4096));
            client.upload(repo, blob);
            if (random.nextBoolean()) {
                client.deleteBlob(repo, OciClient.digest(blob));
            }
        }

        private void pull() throws Exception {
            Placed p = pickLive();
            if (p == null) {
                return;
            }
            client.pull(p.repo, p.image.digest(), p.image);
            for (String tag : p.tags) {
                client.pull(p.repo, tag, p.image);
            }
        }

        private Placed pickLive() {
            List<Placed> live = placed.stream().filter(p -> p.live).toList();
            return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
        }

        void pullEveryLiveImage() throws Exception {
            for (Placed p : placed) {
                if (p.live) {
                    client.pull(p.repo, p.image.digest(), p.image);
                    for (String tag : p.tags) {
                        client.pull(p.repo, tag, p.image);
                    }
                } else if (client.manifest(p.repo, p.image.digest()).isPresent()) {
                    throw new AssertionError(p.repo + "@" + p.image.digest() + " was deleted but is still served");
                }
            }
        }

        List<Image> liveImages() {
            return placed.stream().filter(p -> p.live).map(p -> p.image).toList();
        }
    }
}
