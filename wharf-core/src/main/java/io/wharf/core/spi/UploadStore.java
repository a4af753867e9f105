package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.util.List;

/**
 * Bytes of unfinished uploads. The domain computes the digest while it streams into
 * {@link #append}, so each byte is hashed once; the store only keeps bytes.
 */
public interface UploadStore {
    // Upload ids are [A-Za-z0-9_-]{1,64}; stores refuse others with IllegalArgumentException, so an id
    // can never name a path outside the store.

    /** Creates empty storage for a new upload. */
    void create(String uploadId) throws IOException;

    /**
     * Opens the upload for writing at {@code offset}. Bytes stored past the offset are discarded:
     * they belong to a chunk that was never acknowledged (a client or the server died mid-request).
     * Closing the channel makes what was written durable.
     *
     * @throws java.nio.file.NoSuchFileException when the upload does not exist
     */
    WritableByteChannel append(String uploadId, long offset) throws IOException;

    /** Bytes currently stored for the upload. */
    long length(String uploadId) throws IOException;

    /** Reads the upload from its start; used to rebuild a hash after a restart. */
    ReadableByteChannel read(String uploadId) throws IOException;

    /**
     * Turns the first {@code length} bytes of the upload into the blob {@code digest} of the
     * {@link BlobStore}, atomically and durably, and removes the upload. An existing blob of that digest
     * is replaced: the upload's bytes were just verified, the stored ones may have been damaged since.
     */
    void commit(String uploadId, long length, Digest digest) throws IOException;

    /** Removes an upload's bytes; missing uploads are not an error. */
    void delete(String uploadId) throws IOException;

    /**
     * When the upload's bytes were last written: the sweep leaves recently written bytes alone even
     * when it finds no session for them (another process may be between its steps).
     *
     * @throws java.nio.file.NoSuchFileException when the upload does not exist
     */
    Instant lastModified(String uploadId) throws IOException;

    /** Every upload id with stored bytes: the sweep compares them with the metadata. */
    List<String> list() throws IOException;
}
