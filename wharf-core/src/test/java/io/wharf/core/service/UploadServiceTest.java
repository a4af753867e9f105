package io.wharf.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.BlobUploadUnknownException;
import io.wharf.core.error.RangeNotSatisfiableException;
import io.wharf.core.error.SizeInvalidException;
import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The upload service's recovery paths: state lost by a restart, interrupted chunks, expiry. */
class UploadServiceTest {
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final InMemoryUploadStore uploadStore = new InMemoryUploadStore(blobs);
    private final InMemoryMetadataStore meta = new InMemoryMetadataStore();
    private final MutableClock clock = new MutableClock();
    private final RepoKey repo = new RepoKey("000000000000", RepositoryName.parse("r"));
    private final byte[] content = random(10_000);

    @Test
    void anUploadContinuesAfterARestartWithTheHashRebuiltFromStorage() {
        UploadStatus s = registry().uploads().start(repo);
        registry().uploads().append(repo, s.uploadId(), 0L, 4000L, BodySource.of(Arrays.copyOf(content, 4000)));
        // a new Registry over the same stores has no in-memory hash state, as after kill -9
        Registry restarted = registry();
        restarted.uploads().append(repo, s.uploadId(), 4000L, 6000L, BodySource.of(Arrays.copyOfRange(content, 4000, 10_000)));
        Digest d = restarted.uploads().complete(repo, s.uploadId(), Digest.sha256Of(content), null, 0L, BodySource.EMPTY);
        assertThat(restarted.blobs().stat(repo, d)).isEqualTo(10_000);
    }

    @Test
    void anUploadWhoseBytesWereLostIsReportedGoneAfterARestart() throws IOException {
        UploadStatus s = registry().uploads().start(repo);
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
        UploadStatus s = r.uploads().start(repo);
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
        UploadStatus s = r.uploads().start(repo);
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
        r.uploads().putMonolithic(repo, d512, (long) content.length, BodySource.of(content));
        assertThat(r.blobs().stat(repo, d512)).isEqualTo(content.length);
    }

    @Test
    void expiredSessionsAndOrphanBytesAreCleanedUp() throws IOException {
        Registry r = registry();
        UploadStatus s = r.uploads().start(repo);
        r.uploads().append(repo, s.uploadId(), 0L, null, BodySource.of(random(10)));
        uploadStore.create("orphan-left-by-a-crash");
        clock.advance(Duration.ofHours(2));
        assertThat(r.uploads().cleanUp()).isEqualTo(2);
        assertThat(uploadStore.list()).isEmpty();
        assertThatThrownBy(() -> r.uploads().status(repo, s.uploadId())).isInstanceOf(BlobUploadUnknownException.class);
    }

    private Registry registry() {
        return new Registry(meta, blobs, uploadStore, RegistryLimits.defaults(), clock);
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

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
