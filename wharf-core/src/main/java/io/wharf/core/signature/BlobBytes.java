package io.wharf.core.signature;

import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.model.Digest;
import io.wharf.core.service.BlobService;
import io.wharf.core.service.RepoKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

/** Reads a small signature blob whole, bounded: a blob larger than the format allows is no signature of it. */
final class BlobBytes {
    private BlobBytes() {
    }

    /** The blob's bytes; empty when it is over {@code max}, missing or damaged. An outage is thrown, not hidden. */
    static Optional<byte[]> read(BlobService blobs, RepoKey key, Digest digest, long size, int max) {
        if (size > max || size < 0) {
            return Optional.empty();
        }
        try (SeekableByteChannel ch = blobs.open(key, digest)) {
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // reads until full or the end
            }
            return buf.hasRemaining() ? Optional.empty() : Optional.of(buf.array());
        } catch (StorageUnavailableException e) {
            throw e; // storage down or a data key missing is answered as an outage, not as "not signed"
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
