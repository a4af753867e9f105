package io.wharf.server.oci;

import static io.wharf.server.oci.Fixtures.OCI_MANIFEST;
import static io.wharf.server.oci.Fixtures.digest;
import static io.wharf.server.oci.Fixtures.manifest;
import static io.wharf.server.oci.Fixtures.pushBlob;
import static io.wharf.server.oci.Fixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.service.GarbageCollector;
import io.wharf.core.service.GarbageCollector.Report;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.testing.ManualClock;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Garbage collection under the registry API: what a delete frees, what shared content keeps, and a push's HEAD. */
class GarbageCollectionApiTest {
    private static final Duration GRACE = Duration.ofHours(24);
    private final ManualClock clock = new ManualClock();
    private TestRegistry r;

    @AfterEach
    void stop() throws Exception {
        r.close();
    }

    private GarbageCollector collector() {
        return r.registry().garbageCollector(new GarbageCollector.Settings(GRACE, Duration.ofHours(1)));
    }

    /** Runs once now (scheduling what is new) and once a grace period later (collecting it). */
    private Report collectAfterGrace() {
        collector().run(() -> false, x -> { });
        clock.advance(GRACE);
        return collector().run(() -> false, x -> { });
    }

    private byte[] pushImage(String repo, String tag, byte[] config, byte[]... layers) throws Exception {
        pushBlob(r, repo, config);
        for (byte[] layer : layers) {
            pushBlob(r, repo, layer);
        }
        byte[] manifest = manifest(config, layers);
        HttpResponse<byte[]> res = r.send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest, "Content-Type", OCI_MANIFEST);
        assertThat(res.statusCode()).as(Fixtures.body(res)).isEqualTo(201);
        return manifest;
    }

    @Test
    void aDeletedImageLeavesTheDiskWhileWhatOtherImagesShareStays() throws Exception {
        r = new TestRegistry(RegistryLimits.defaults(), clock);
        byte[] shared = randomBytes(4096);
        byte[] onlyA = randomBytes(8192);
        byte[] configA = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] configB = "{\"b\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] imageA = pushImage("gc/one", "a", configA, shared, onlyA);
        pushImage("gc/two", "b", configB, shared);
        long before = blobBytesOnDisk();
        assertThat(r.send("DELETE", "/v2/gc/one/manifests/" + digest(imageA), null).statusCode()).isEqualTo(202);

        Report report = collectAfterGrace();

        assertThat(report.blobsDeleted()).isEqualTo(2);
        assertThat(report.bytesDeleted()).isEqualTo(onlyA.length + configA.length);
        assertThat(r.blobFile(digest(onlyA))).doesNotExist();
        assertThat(r.blobFile(digest(configA))).doesNotExist();
        assertThat(blobBytesOnDisk()).isEqualTo(before - onlyA.length - configA.length);
        assertThat(r.get("/v2/gc/two/blobs/" + digest(shared)).body()).isEqualTo(shared);
        assertThat(r.get("/v2/gc/two/manifests/b").statusCode()).isEqualTo(200);
        assertThat(r.get("/v2/gc/one/blobs/" + digest(onlyA)).statusCode()).isEqualTo(404);
        assertThat(r.get("/v2/gc/one/blobs/" + digest(shared)).statusCode())
                .as("gc/one no longer references the shared layer: its link went, the bytes stay for gc/two").isEqualTo(404);
    }

    /** The push protocol: HEAD each blob, upload what is missing, PUT the manifest — minutes apart at most. */
    @Test
    void aPushWhoseHeadFoundABlobDueForCollectionIsNotBrokenByTheCollection() throws Exception {
        r = new TestRegistry(RegistryLimits.defaults(), clock);
        byte[] config = "{\"late\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = randomBytes(2048);
        pushBlob(r, "gc/late", config);
        pushBlob(r, "gc/late", layer); // an earlier push that never sent its manifest
        collector().run(() -> false, x -> { });
        clock.advance(GRACE.minusMinutes(5));
        assertThat(r.head("/v2/gc/late/blobs/" + digest(config)).statusCode()).isEqualTo(200);
        assertThat(r.head("/v2/gc/late/blobs/" + digest(layer)).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(10)); // past the original review time
        assertThat(collector().run(() -> false, x -> { }).blobsDeleted()).isZero();
        HttpResponse<byte[]> put = r.send("PUT", "/v2/gc/late/manifests/v1", manifest(config, layer),
                "Content-Type", OCI_MANIFEST);
        assertThat(put.statusCode()).as(Fixtures.body(put)).isEqualTo(201);
        clock.advance(GRACE.multipliedBy(2));
        assertThat(collector().run(() -> false, x -> { }).blobsDeleted()).as("referenced now").isZero();
        assertThat(r.blobFile(digest(layer))).exists();
    }

    @Test
    void blobsUploadedButNeverReferencedGoAfterTheGracePeriod() throws Exception {
        r = new TestRegistry(RegistryLimits.defaults(), clock);
        byte[] abandoned = randomBytes(1000);
        pushBlob(r, "gc/abandoned", abandoned);
        collector().run(() -> false, x -> { });
        clock.advance(GRACE.minusSeconds(1));
        assertThat(collector().run(() -> false, x -> { }).blobsDeleted()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(collector().run(() -> false, x -> { }).bytesDeleted()).isEqualTo(1000);
        assertThat(r.head("/v2/gc/abandoned/blobs/" + digest(abandoned)).statusCode()).isEqualTo(404);
        pushBlob(r, "gc/abandoned", abandoned);
        assertThat(r.get("/v2/gc/abandoned/blobs/" + digest(abandoned)).body()).as("pushed again").isEqualTo(abandoned);
    }

    private long blobBytesOnDisk() throws IOException {
        Path blobs = r.blobFile(digest(new byte[0])).getParent().getParent();
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
