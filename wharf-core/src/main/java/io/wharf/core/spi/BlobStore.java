package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Content-addressed bytes. Dumb on purpose: it knows nothing of repositories, which blob a
 * repository may serve is metadata ({@link BlobIndex}). Blobs only ever enter through
 * {@link UploadStore#commit}, after their digest was verified.
 */
public interface BlobStore {

    /** The stored size of a blob, or empty when the store does not hold it. */
    OptionalLong size(Digest digest) throws IOException;

    /**
     * Opens a blob for reading. A filesystem store returns a {@link java.nio.channels.FileChannel}
     * so the server can send it without copying through user space.
     *
     * @throws java.nio.file.NoSuchFileException when the store does not hold it
     */
    SeekableByteChannel open(Digest digest) throws IOException;

    /** Removes a blob; used by garbage collection only. Missing blobs are not an error. */
    void delete(Digest digest) throws IOException;

    /** A blob as the store holds it, for the garbage collector's search for files without a row. */
    record BlobFile(Digest digest, long size, Instant lastModified) {
    }

    /**
     * Up to {@code limit} stored blobs in digest order ({@link Digest#compareTo}) strictly after {@code after}
     * (null: from the first). Files that do not name a blob are not listed.
     */
    List<BlobFile> list(Digest after, int limit) throws IOException;

    /**
     * Sets aside a blob found damaged: from now on it reads as absent (so clients push it again and
     * {@link UploadStore#commit} stores it afresh); a store keeps the bytes for inspection where it can.
     * Missing blobs are not an error.
     */
    void quarantine(Digest digest) throws IOException;

    /**
     * Where a client may fetch the blob itself, without this server streaming it (an object store's presigned URL),
     * or empty when the store offers none or is not configured to. The caller has authorized the request already;
     * the URL does not prove the blob exists.
     */
    default Optional<URI> downloadUrl(Digest digest) {
        return Optional.empty();
    }
}
