package io.wharf.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.BlobUploadUnknownException;
import io.wharf.core.error.RangeNotSatisfiableException;
import io.wharf.core.error.SizeInvalidException;
import io.wharf.core.error.TooManyUploadsException;
import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.UploadLocks;
import io.wharf.core.spi.UploadStore;
import io.wharf.core.testing.ManualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The upload service's recovery paths: state lost by a restart, interrupted chunks, expiry. */
class UploadServiceTest {
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final InMemoryMetadataStore meta = new InMemoryMetadataStore();
    private final ManualClock clock = new ManualClock();
    private final InMemoryUploadStore uploadStore = new InMemoryUploadStore(blobs, clock);
    private static final String OWNER = "arn:aws:iam::000000000000:root";
    private final RepoKey repo = new RepoKey("000000000000", RepositoryName.parse("r"));
    private final byte[] content = random(10_000);

    @Test
    void anUploadContinuesAfterARestartWithTheHashRebuiltFromStorage() {
        UploadStatus s = registry().uploads().start(repo, OWNER);
        registry().uploads().append(repo, s.uploadId(), 0L, 4000L, BodySource.of(Arrays.copyOf(content, 4000)));
        // a new Registry over the same stores has no in-memory hash state, as after kill -9
        Registry restarted = registry();
        restarted.uploads().append(repo, s.uploadId(), 4000L, 6000L, BodySource.of(Arrays.copyOfRange(content, 4000, 10_000)));
        Digest d = restarted.uploads().complete(repo, s.uploadId(), Digest.sha256Of(content), null, 0L, BodySource.EMPTY);
        assertThat(restarted.blobs().stat(repo, d)).isEqualTo(10_000);
    }

    /** Another node (no cached state) continues from the hash state saved with the offset: it reads no bytes. */
    @Test
    void anotherNodeContinuesFromTheSavedHashStateWithoutReadingTheBytes() {
        UploadStatus s = node(uploadStore).uploads().start(repo, OWNER);
        node(uploadStore).uploads().append(repo, s.uploadId(), 0L, 4001L, BodySource.of(Arrays.copyOf(content, 4001)));
        ReadCountingUploads counting = new ReadCountingUploads(uploadStore);
        Registry other = node(counting);
        other.uploads().append(repo, s.uploadId(), 4001L, 999L, BodySource.of(Arrays.copyOfRange(content, 4001, 5000)));
        Registry third = node(counting);
        Digest d = third.uploads().complete(repo, s.uploadId(), Digest.sha256Of(content), 5000L, 5000L,
                BodySource.of(Arrays.copyOfRange(content, 5000, 10_000)));
        assertThat(third.blobs().stat(repo, d)).isEqualTo(10_000);
        assertThat(counting.reads).isZero();
    }

    /** A monolithic upload whose bytes cannot be dropped (storage down) still leaves no session counting against its owner. */
    @Test
    void aFailedMonolithicUploadLeavesNoSessionWhenItsBytesCannotBeDropped() {
        ReadCountingUploads failing = new ReadCountingUploads(uploadStore);
        failing.failDeletes = true;
        Registry r = new Registry(meta, blobs, failing, RegistryLimits.defaults(), clock);
        assertThatThrownBy(() -> r.uploads().putMonolithic(repo, OWNER, Digest.sha256Of(new byte[] {1}), null,
                BodySource.of(content))).isInstanceOf(io.wharf.core.error.DigestInvalidException.class);
        assertThat(meta.expiredUploads(clock.instant().plus(Duration.ofDays(365)), 10)).isEmpty();
    }

    /** A source that forwards the bytes elsewhere learns they are right before the blob is stored, and only then. */
    @Test
    void aMonolithicUploadTellsItsSourceOnlyBytesThatMatchTheDigestAreVerified() {
        Registry r = registry();
        boolean[] told = {false};
        assertThatThrownBy(() -> r.uploads().putMonolithic(repo, OWNER, Digest.sha256Of(new byte[] {1}), null,
                toldWhenVerified(r, content, told))).isInstanceOf(io.wharf.core.error.DigestInvalidException.class);
        assertThat(told[0]).as("a mismatch is never called verified").isFalse();
        Digest d = Digest.sha256Of(content);
        r.uploads().putMonolithic(repo, OWNER, d, null, toldWhenVerified(r, content, told));
        assertThat(told[0]).isTrue();
        assertThat(r.blobs().stat(repo, d)).isEqualTo(content.length);
    }

    private BodySource toldWhenVerified(Registry r, byte[] bytes, boolean[] told) {
        BodySource whole = BodySource.of(bytes);
        return new BodySource() {
            @Override
            public java.nio.ByteBuffer next() throws java.io.IOException {
                return whole.next();
            }

            @Override
            public void verified() {
                assertThatThrownBy(() -> r.blobs().stat(repo, Digest.sha256Of(bytes))).as("told before it is stored")
                        .isInstanceOf(io.wharf.core.error.RegistryException.class);
                told[0] = true;
            }
        };
    }

    /** One process keeps the JDK's faster hash, which has no state to save: a restart rebuilds it from the bytes. */
    @Test
    void oneProcessSavesNoHashStateAndRebuildsAfterARestart() {
        UploadStatus s = registry().uploads().start(repo, OWNER);
        registry().uploads().append(repo, s.uploadId(), 0L, 4000L, BodySource.of(Arrays.copyOf(content, 4000)));
        assertThat(meta.uploadCheckpoint(s.uploadId()).orElseThrow().hashState()).isNull();
        ReadCountingUploads counting = new ReadCountingUploads(uploadStore);
        Registry restarted = new Registry(meta, blobs, counting, RegistryLimits.defaults(), clock);
        Digest d = restarted.uploads().complete(repo, s.uploadId(), Digest.sha256Of(content), 4000L, 6000L,
                BodySource.of(Arrays.copyOfRange(content, 4000, 10_000)));
        assertThat(restarted.blobs().stat(repo, d)).isEqualTo(10_000);
        assertThat(counting.reads).isEqualTo(1);
    }

    /** A session recorded without hash state (by an older version) still continues: the hash is rebuilt from the bytes. */
    @Test
    void withoutASavedStateTheHashIsRebuiltFromTheBytes() {
        UploadStatus s = registry().uploads().start(repo, OWNER);
        registry().uploads().append(repo, s.uploadId(), 0L, 4000L, BodySource.of(Arrays.copyOf(content, 4000)));
        assertThat(meta.updateUpload(s.uploadId(), 4000, 4000, clock.instant().plus(Duration.ofMinutes(5)), null)).isTrue();
        ReadCountingUploads counting = new ReadCountingUploads(uploadStore);
        Registry restarted = new Registry(meta, blobs, counting, RegistryLimits.defaults(), clock);
        Digest d = restarted.uploads().complete(repo, s.uploadId(), Digest.sha256Of(content), 4000L, 6000L,
                BodySource.of(Arrays.copyOfRange(content, 4000, 10_000)));
        assertThat(restarted.blobs().stat(repo, d)).isEqualTo(10_000);
        assertThat(counting.reads).isEqualTo(1);
    }

    /**
     * A writer that finds the offset moved by another (its compare-and-set fails) acknowledges nothing; both wrote into
     * the same bytes, so the session is dropped rather than let the saved hash stand for other bytes.
     */
    @Test
    void aChunkRacedByAnotherWriterIsNotAcknowledged() {
        Registry r = registry();
        UploadStatus s = r.uploads().start(repo, OWNER);
        r.uploads().append(repo, s.uploadId(), 0L, 100L, BodySource.of(Arrays.copyOf(content, 100)));
        byte[] chunk = Arrays.copyOfRange(content, 100, 200);
        BodySource racing = new BodySource() {
            private boolean done;

            @Override
            public ByteBuffer next() {
                if (done) {
                    // another node acknowledges a chunk of its own while this one streams
                    meta.updateUpload(s.uploadId(), 100, 150, clock.instant().plus(Duration.ofMinutes(5)), null);
                    return null;
                }
                done = true;
                return ByteBuffer.wrap(chunk);
            }
        };
        assertThatThrownBy(() -> r.uploads().append(repo, s.uploadId(), 100L, 100L, racing))
                .isInstanceOf(BlobUploadUnknownException.class).hasMessageContaining("concurrently");
        assertThat(meta.findUpload(s.uploadId())).isEmpty();
        assertThatThrownBy(() -> r.uploads().status(repo, s.uploadId())).isInstanceOf(BlobUploadUnknownException.class);
    }

    @Test
    void anUploadWhoseBytesWereLostIsReportedGoneAfterARestart() throws IOException {
        UploadStatus s = registry().uploads().start(repo, OWNER);
        registry().uploads().append(repo, s.uploadId(), 0L, 4000L, BodySource.of(Arrays.copyOf(content, 4000)));
        // a power failure takes the unsynced tail of the chunk
        try (var out = uploadStore.append(s.uploadId(), 1000)) {
            // truncated to 1000 bytes, nothing written
        }
        Registry restarted = registry();
        assertThatThrownBy(() -> restarted.uploads().append(repo, s.uploadId(), 4000L, 6000L,
                BodySource.of(Arrays.copyOfRange(content, 4000, 10_000))))
                .isInstanceOf(BlobUploadUnknownException.class).hasMessageContaining("lost");
    }

    @Test
    void anInterruptedChunkIsNotAcknowledgedAndCanBeResent() {
        Registry r = registry();
        UploadStatus s = r.uploads().start(repo, OWNER);
        BodySource dying = failingAfter(Arrays.copyOf(content, 5000), 3000);
        assertThatThrownBy(() -> r.uploads().append(repo, s.uploadId(), 0L, null, dying)).hasRootCauseInstanceOf(IOException.class);
        assertThat(r.uploads().status(repo, s.uploadId()).offset()).isZero();
        r.uploads().append(repo, s.uploadId(), 0L, null, BodySource.of(content));
        Digest d = r.uploads().complete(repo, s.uploadId(), Digest.sha256Of(content), null, null, BodySource.EMPTY);
        assertThat(r.blobs().stat(repo, d)).isEqualTo(content.length);
    }

    @Test
    void aShortChunkIsRefusedAndLeavesTheOffset() {
        Registry r = registry();
        UploadStatus s = r.uploads().start(repo, OWNER);
        assertThatThrownBy(() -> r.uploads().append(repo, s.uploadId(), 0L, 200L, BodySource.of(random(100))))
                .isInstanceOf(SizeInvalidException.class);
        assertThat(r.uploads().status(repo, s.uploadId()).offset()).isZero();
        assertThatThrownBy(() -> r.uploads().append(repo, s.uploadId(), 5L, null, BodySource.of(random(1))))
                .isInstanceOf(RangeNotSatisfiableException.class);
    }

    @Test
    void sha512DigestsAreVerifiedToo() {
        Registry r = registry();
        Digest d512 = Digest.of(Digest.Algorithm.SHA512, Digest.Algorithm.SHA512.newMessageDigest().digest(content));
        r.uploads().putMonolithic(repo, OWNER, d512, (long) content.length, BodySource.of(content));
        assertThat(r.blobs().stat(repo, d512)).isEqualTo(content.length);
    }

    @Test
    void expiredSessionsAndStaleOrphanBytesAreSweptButFreshOrphansAreLeftAlone() throws IOException {
        Registry r = registry();
        UploadStatus s = r.uploads().start(repo, OWNER);
        r.uploads().append(repo, s.uploadId(), 0L, null, BodySource.of(random(10)));
        uploadStore.create("orphan-left-by-a-crash");
        clock.advance(Duration.ofHours(2));
        uploadStore.create("fresh-orphan-another-process-is-about-to-record");
        assertThat(r.uploadSweeper().sweep()).isEqualTo(2);
        assertThat(uploadStore.list()).containsExactly("fresh-orphan-another-process-is-about-to-record");
        assertThatThrownBy(() -> r.uploads().status(repo, s.uploadId())).isInstanceOf(BlobUploadUnknownException.class);
    }

    @Test
    void theSweepRemovesEveryExpiredSessionNotOneBatch() throws IOException {
        Registry r = registry();
        for (int i = 0; i < 1_234; i++) {
            r.uploads().start(new RepoKey("000000000000", RepositoryName.parse("r")), "owner-" + i);
        }
        clock.advance(Duration.ofHours(2));
        assertThat(r.uploadSweeper().sweep()).isEqualTo(1_234);
        assertThat(uploadStore.list()).isEmpty();
        assertThat(meta.expiredUploads(clock.instant(), 10)).isEmpty();
    }

    @Test
    void anExpiredSessionFreesItsBytesWhenNextTouched() throws IOException {
        Registry r = registry();
        UploadStatus s = r.uploads().start(repo, OWNER);
        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> r.uploads().status(repo, s.uploadId())).isInstanceOf(BlobUploadUnknownException.class);
        assertThat(uploadStore.list()).isEmpty();
        assertThat(meta.findUpload(s.uploadId())).isEmpty();
    }

    @Test
    void aTricklingSessionExpiresAtItsMaximumLifetime() throws IOException {
        Registry r = registry();
        UploadStatus s = r.uploads().start(repo, OWNER);
        long offset = 0;
        // one byte every 50 minutes keeps the idle timeout (1 h) from firing, but not the 6 h lifetime
        for (int i = 0; i < 7; i++) {
            offset = r.uploads().append(repo, s.uploadId(), offset, 1L, BodySource.of(new byte[] {1})).offset();
            clock.advance(Duration.ofMinutes(50));
        }
        clock.advance(Duration.ofMinutes(10)); // 6 h after the start
        assertThatThrownBy(() -> r.uploads().append(repo, s.uploadId(), 7L, 1L, BodySource.of(new byte[] {1})))
                .isInstanceOf(BlobUploadUnknownException.class);
        assertThat(uploadStore.list()).isEmpty();
    }

    @Test
    void openSessionsAreCappedPerOwnerUntilOneIsCancelledOrExpires() {
        Registry r = new Registry(meta, blobs, uploadStore, RegistryLimits.defaults()
                .withUploads(new UploadLimits(Duration.ofHours(6), 3, 100)), clock);
        UploadStatus first = r.uploads().start(repo, OWNER);
        r.uploads().start(repo, OWNER);
        r.uploads().start(repo, OWNER);
        assertThatThrownBy(() -> r.uploads().start(repo, OWNER)).isInstanceOf(TooManyUploadsException.class);
        assertThatThrownBy(() -> r.uploads().putMonolithic(repo, OWNER, Digest.sha256Of(content), null,
                BodySource.of(content))).isInstanceOf(TooManyUploadsException.class);
        r.uploads().start(repo, "someone-else");
        r.uploads().cancel(repo, first.uploadId());
        r.uploads().start(repo, OWNER);
        clock.advance(Duration.ofHours(2));
        r.uploads().start(repo, OWNER); // the others expired, swept or not
    }

    @Test
    void uploadLocksLiveOnlyWhileRequestsUseThem() {
        Registry r = registry();
        UploadStatus s = r.uploads().start(repo, OWNER);
        r.uploads().append(repo, s.uploadId(), 0L, null, BodySource.of(random(10)));
        for (int i = 0; i < 100; i++) {
            String unknown = "unknown-" + i;
            assertThatThrownBy(() -> r.uploads().append(repo, unknown, 0L, null, BodySource.of(random(1))))
                    .isInstanceOf(BlobUploadUnknownException.class);
            assertThat(r.uploads().isActive(unknown)).isFalse();
        }
        assertThat(r.uploads().isActive(s.uploadId())).isFalse();
        r.uploads().locked(s.uploadId(), () -> {
            assertThat(r.uploads().isActive(s.uploadId())).isTrue();
            r.uploads().cancel(repo, s.uploadId()); // reentrant; cancelling inside keeps the lock until released
            return assertThat(r.uploads().isActive(s.uploadId())).isTrue();
        });
        assertThat(r.uploads().isActive(s.uploadId())).isFalse();
    }

    /** Nested steps of one upload take its lock once: a lock shared by nodes (database locks) need not be reentrant. */
    @Test
    void nestedStepsTakeTheUploadLockOnlyOnce() {
        java.util.Set<String> holding = java.util.concurrent.ConcurrentHashMap.newKeySet();
        io.wharf.core.spi.UploadLocks strict = new io.wharf.core.spi.UploadLocks() {
            @Override
            public <T> T run(String uploadId, Supplier<T> work) {
                if (!holding.add(uploadId)) {
                    throw new IllegalStateException("lock of " + uploadId + " taken twice");
                }
                try {
                    return work.get();
                } finally {
                    holding.remove(uploadId);
                }
            }
        };
        Registry r = new Registry(meta, blobs, uploadStore, RegistryLimits.defaults(), Quotas.defaults(), true, clock,
                damage -> { }, new LocalBlobLocks(), strict);
        UploadStatus s = r.uploads().start(repo, OWNER);
        r.uploads().locked(s.uploadId(), () -> {
            r.uploads().append(repo, s.uploadId(), 0L, null, BodySource.of(random(10)));
            r.uploads().cancel(repo, s.uploadId());
            return null;
        });
        assertThat(holding).isEmpty();
        assertThat(meta.findUpload(s.uploadId())).isEmpty();
    }

    private Registry registry() {
        return new Registry(meta, blobs, uploadStore, RegistryLimits.defaults(), clock);
    }

    /** A node of a cluster: its upload locks are taken by other processes too, so it saves the hash state. */
    private Registry node(UploadStore uploads) {
        UploadLocks shared = new UploadLocks() {
            private final LocalUploadLocks local = new LocalUploadLocks();

            @Override
            public <T> T run(String uploadId, Supplier<T> work) {
                return local.run(uploadId, work);
            }

            @Override
            public boolean acrossProcesses() {
                return true;
            }
        };
        return new Registry(meta, blobs, uploads, RegistryLimits.defaults(), Quotas.defaults(), true,
                clock, damage -> { }, new LocalBlobLocks(), shared);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** A body that delivers {@code failAt} bytes and then breaks, like a client that disconnects. */
    private static BodySource failingAfter(byte[] bytes, int failAt) {
        return new BodySource() {
            private boolean sent;

            @Override
            public ByteBuffer next() throws IOException {
                if (sent) {
                    throw new IOException("connection reset");
                }
                sent = true;
                return ByteBuffer.wrap(bytes, 0, failAt);
            }
        };
    }

    /** The real store, counting how often an upload's bytes are read back. */
    private static final class ReadCountingUploads implements io.wharf.core.spi.UploadStore {
        private final io.wharf.core.spi.UploadStore store;
        int reads;
        boolean failDeletes;

        ReadCountingUploads(io.wharf.core.spi.UploadStore store) {
            this.store = store;
        }

        @Override
        public void create(String uploadId) throws IOException {
            store.create(uploadId);
        }

        @Override
        public java.nio.channels.WritableByteChannel append(String uploadId, long offset) throws IOException {
            return store.append(uploadId, offset);
        }

        @Override
        public long length(String uploadId) throws IOException {
            return store.length(uploadId);
        }

        @Override
        public java.nio.channels.ReadableByteChannel read(String uploadId) throws IOException {
            reads++;
            return store.read(uploadId);
        }

        @Override
        public void commit(String uploadId, long length, Digest digest) throws IOException {
            store.commit(uploadId, length, digest);
        }

        @Override
        public void delete(String uploadId) throws IOException {
            if (failDeletes) {
                throw new IOException("storage down");
            }
            store.delete(uploadId);
        }

        @Override
        public java.time.Instant lastModified(String uploadId) throws IOException {
            return store.lastModified(uploadId);
        }

        @Override
        public java.util.List<String> list() throws IOException {
            return store.list();
        }
    }
}
