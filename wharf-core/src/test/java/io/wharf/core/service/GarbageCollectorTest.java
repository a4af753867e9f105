package io.wharf.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.model.Reference;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.GarbageCollector.Report;
import io.wharf.core.spi.BlobLocks;
import io.wharf.core.spi.BlobStore.BlobFile;
import io.wharf.core.spi.StoredBlob;
import io.wharf.core.testing.ManualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The collector over real (in-memory) stores: when blobs go, when they stay, and files after rows. */
class GarbageCollectorTest {
    private static final Duration GRACE = Duration.ofHours(24);
    private static final GarbageCollector.Settings SETTINGS = new GarbageCollector.Settings(GRACE, Duration.ofHours(1));
    private static final String OWNER = "arn:aws:iam::000000000000:root";

    private final ManualClock clock = new ManualClock();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    private final InMemoryMetadataStore meta = new InMemoryMetadataStore();
    private final InMemoryUploadStore uploadStore = new InMemoryUploadStore(blobs, clock);
    private final Registry registry = new Registry(meta, blobs, uploadStore, RegistryLimits.defaults(), clock);
    private final GarbageCollector gc = registry.garbageCollector(SETTINGS);
    private final RepoKey repo = new RepoKey("000000000000", RepositoryName.parse("app"));

    private Digest upload(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return registry.uploads().putMonolithic(repo, OWNER, Digest.sha256Of(bytes), (long) bytes.length, BodySource.of(bytes));
    }

    private Digest pushImage(Digest config, Digest layer) {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":" + size(config)
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer
                + "\",\"size\":" + size(layer) + "}]}";
        return registry.manifests().put(repo, Reference.parse("v1"), MediaTypes.OCI_MANIFEST,
                json.getBytes(StandardCharsets.UTF_8)).digest();
    }

    private long size(Digest d) {
        return blobs.size(d).orElseThrow();
    }

    private Report run() {
        return gc.run(() -> false, r -> { });
    }

    @Test
    void aDeletedImagesBlobsGoOnceTheGracePeriodHasPassedAndNotBefore() {
        Digest config = upload("{}");
        Digest layer = upload("layer bytes");
        Digest image = pushImage(config, layer);
        assertThat(run().blobsDeleted()).as("referenced").isZero();
        registry.manifests().delete(repo, Reference.parse(image.toString()));
        Report first = run();
        assertThat(first.scheduled()).isEqualTo(2);
        assertThat(first.blobsDeleted()).isZero();
        clock.advance(GRACE.minusMinutes(1));
        assertThat(run().blobsDeleted()).isZero();
        assertThat(blobs.size(layer)).isPresent();
        clock.advance(Duration.ofMinutes(1));
        Report due = run();
        assertThat(due.blobsDeleted()).isEqualTo(2);
        assertThat(due.bytesDeleted()).isEqualTo(2 + 11);
        assertThat(blobs.size(layer)).isEmpty();
        assertThat(blobs.size(config)).isEmpty();
        assertThat(meta.blobSize(layer)).isEmpty();
    }

    @Test
    void aBlobOnlyUploadedIsCollectedTooButAnImagesBlobsStay() {
        Digest loose = upload("never referenced");
        Digest config = upload("{}");
        Digest layer = upload("layer bytes");
        pushImage(config, layer);
        run();
        clock.advance(GRACE);
        Report r = run();
        assertThat(r.blobsDeleted()).isEqualTo(1);
        assertThat(r.kept()).isEqualTo(2);
        assertThat(blobs.size(loose)).isEmpty();
        assertThat(registry.blobs().stat(repo, layer)).isEqualTo(11);
    }

    @Test
    void aClientToldTheBlobExistsPostponesAReviewDueWithinTheHour() {
        Digest loose = upload("about to be referenced");
        run();
        clock.advance(GRACE.minusMinutes(30));
        assertThat(registry.blobs().stat(repo, loose)).isPositive(); // the HEAD before a manifest push
        clock.advance(Duration.ofMinutes(31));
        Report r = run();
        assertThat(r.blobsDeleted()).isZero();
        assertThat(r.scheduled()).as("scheduled again, a grace period from now").isEqualTo(1);
        assertThat(blobs.size(loose)).isPresent();
        clock.advance(GRACE);
        assertThat(run().blobsDeleted()).as("then left alone for a whole grace period").isEqualTo(1);
    }

    @Test
    void aFileWithoutARowGoesOnlyOnceOldEnough() throws IOException {
        Digest orphan = storeFileOnly("left by a crash");
        clock.advance(Duration.ofMinutes(59));
        assertThat(run().orphansDeleted()).isZero();
        assertThat(blobs.size(orphan)).isPresent();
        clock.advance(Duration.ofMinutes(2));
        Report r = run();
        assertThat(r.orphansDeleted()).isEqualTo(1);
        assertThat(r.orphanBytes()).isEqualTo(15);
        assertThat(blobs.size(orphan)).isEmpty();
    }

    @Test
    void aBlobStoredAgainBetweenItsRowAndItsFileGoingKeepsItsFile() {
        Digest loose = upload("stored again");
        run();
        clock.advance(GRACE);
        // the upload finishes while the collector has deleted the row but not yet taken the digest's lock
        BlobLocks racingUpload = new BlobLocks() {
            private boolean raced;

            @Override
            public void run(Digest digest, Runnable work) {
                if (!raced) {
                    raced = true;
                    upload("stored again");
                }
                work.run();
            }
        };
        Report r = new GarbageCollector(meta, blobs, racingUpload, SETTINGS, clock).run(() -> false, x -> { });
        assertThat(r.blobsDeleted()).as("its row went").isEqualTo(1);
        assertThat(meta.blobSize(loose)).as("and came back").hasValue(12);
        assertThat(blobs.size(loose)).as("so the file stays").hasValue(12);
        assertThat(registry.blobs().stat(repo, loose)).isEqualTo(12);
    }

    @Test
    void thePreviewListsWhatARunWouldDeleteAndDeletesNothing() throws IOException {
        Digest loose = upload("loose");
        Digest orphan = storeFileOnly("left by a crash");
        run();
        clock.advance(GRACE);
        GarbageCollector.Preview p = gc.preview();
        assertThat(p.blobs()).containsExactly(new StoredBlob(loose, 5));
        assertThat(p.orphans()).extracting(BlobFile::digest).containsExactly(orphan);
        assertThat(p.bytes()).isEqualTo(5 + 15);
        assertThat(p.reviews().due()).isEqualTo(1);
        assertThat(blobs.size(loose)).isPresent();
        assertThat(run().bytesReclaimed()).isEqualTo(20);
    }

    @Test
    void aCancelledRunStopsAfterTheBatchInHand() {
        upload("one");
        run();
        clock.advance(GRACE);
        Report r = gc.run(() -> true, x -> { });
        assertThat(r.blobsDeleted()).isZero();
        assertThat(meta.reviewCounts(clock.instant()).due()).isEqualTo(1);
    }

    /** A committed blob file without a row, as a crash between the two leaves it. */
    private Digest storeFileOnly(String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256Of(bytes);
        uploadStore.create("orphan");
        try (WritableByteChannel out = uploadStore.append("orphan", 0)) {
            out.write(ByteBuffer.wrap(bytes));
        }
        uploadStore.commit("orphan", bytes.length, d);
        return d;
    }
}
