package io.wharf.storage.jdbc;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.MetadataStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's store ({@link SqliteMetadataStore#openExclusive}): the same contract with the read cache
 * on, so every write-then-read of the contract checks the cache is invalidated; plus the data-directory lock.
 */
class ServerSqliteMetadataStoreTest extends MetadataStoreContract {

    @TempDir
    Path dataDir;

    @Override
    protected MetadataStore createStore() {
        try {
            return SqliteMetadataStore.openExclusive(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aSecondServerCannotOpenTheSameDataDirectory() throws IOException {
        assertThatThrownBy(() -> SqliteMetadataStore.openExclusive(dataDir))
                .isInstanceOf(FileSystemException.class)
                .hasMessage(dataDir.resolve("wharf.lock") + ": another Wharf server is using this data directory");
        store.close();
        store = SqliteMetadataStore.openExclusive(dataDir); // released on close
        SqliteMetadataStore.open(dataDir).close(); // tools such as `wharf iam` need no lock
    }

    @Test
    void aMovedTagIsSeenByTheNextReadEvenUnderConcurrentReads() throws Exception {
        Manifest one = image("one", List.of());
        Manifest two = image("two", List.of());
        store.putManifest(repo, one, tag("t"), at(1));
        store.putManifest(repo, two, null, at(1));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 20_000; i++) {
                    store.resolveTag(repo, tag("t"));
                    store.findManifest(repo, one.digest());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        for (int i = 0; i < 200; i++) {
            Digest to = i % 2 == 0 ? two.digest() : one.digest();
            store.putManifest(repo, i % 2 == 0 ? two : one, tag("t"), at(2 + i));
            assertThat(store.resolveTag(repo, tag("t"))).as("after move %d", i).contains(to);
        }
        store.deleteManifest(repo, one.digest());
        assertThat(store.findManifest(repo, one.digest())).isEmpty();
        reader.join();
        assertThat(failure.get()).isNull();
    }

    /**
     * Garbage collection's writes touch no table the read cache answers from, so they leave it warm (pulls keep
     * their speed while a collection runs); any other write still invalidates it. Shown with a tag changed behind
     * the store's back: the cached answer survives the collector's transactions and not the next other write.
     */
    @Test
    void garbageCollectionLeavesTheReadCacheWarmAndOtherWritesDoNot() throws Exception {
        Manifest one = image("one", List.of());
        Manifest two = image("two", List.of());
        store.putManifest(repo, one, tag("t"), at(1));
        store.putManifest(repo, two, null, at(1));
        assertThat(store.resolveTag(repo, tag("t"))).contains(one.digest()); // now cached
        moveTagBehindTheStoresBack(two.digest());
        store.addBlob(otherRepo, blobDigest("loose"), 1, at(1));
        assertThat(store.resolveTag(repo, tag("t"))).as("an ordinary write invalidates").contains(two.digest());
        store.scheduleReviews(at(2));
        store.collect(store.dueReviews(at(2), null, 10), at(2));
        store.postponeReview(blobDigest("loose"), at(3));
        assertThat(store.blobSize(blobDigest("loose"))).as("collected").isEmpty();
        moveTagBehindTheStoresBack(one.digest());
        store.scheduleReviews(at(3));
        store.collect(store.dueReviews(at(3), null, 10), at(3));
        assertThat(store.resolveTag(repo, tag("t"))).as("still the cached answer after the collector's writes")
                .contains(two.digest());
    }

    private void moveTagBehindTheStoresBack(Digest to) throws SQLException {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("wharf.db"));
             PreparedStatement moveTag = raw.prepareStatement("UPDATE tag SET digest = ? WHERE name = 't'")) {
            moveTag.setString(1, to.toString());
            assertThat(moveTag.executeUpdate()).isEqualTo(1);
        }
    }
}
