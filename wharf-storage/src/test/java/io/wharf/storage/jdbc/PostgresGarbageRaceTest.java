package io.wharf.storage.jdbc;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.GarbageIndex.Collected;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.MetadataStoreFixture;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A collection of a blob while a push that references it is between its check and its commit, on real
 * PostgreSQL. Under READ COMMITTED the collector would not see the push's references and remove the blob's
 * link and row under it; the push's check keeps the links, and the collector waits for it.
 */
@org.junit.jupiter.api.Tag("postgres")
class PostgresGarbageRaceTest extends MetadataStoreFixture {
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aCollectionDuringAPushThatReferencesTheBlobKeepsIt() throws Exception {
        Digest layer = blobDigest("layer");
        Manifest m = image("racing", List.of(layer));
        store.addBlob(repo, layer, 100, at(1));
        store.scheduleReviews(at(2)); // due from then on: unreferenced, it would be collected
        CountDownLatch checked = new CountDownLatch(1);
        Future<?> push = threads.submit(() -> store.inTransaction("push", unit -> {
            assertThat(unit.missingBlobs(repo, List.of(layer))).isEmpty();
            checked.countDown();
            pause(500); // the collector runs now
            unit.putManifest(repo, m, new Tag("v1"), at(3), true);
            return null;
        }));
        assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
        Collected collected = threads.submit(() -> store.collect(List.of(layer), at(10))).get(30, TimeUnit.SECONDS);
        push.get(30, TimeUnit.SECONDS);
        assertThat(collected.deleted()).isEmpty();
        assertThat(store.linkedBlobSize(repo, layer)).as("the pushed image's layer is still linked").hasValue(100);
        assertThat(store.blobSize(layer)).hasValue(100);
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
