package io.wharf.storage.s3;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the S3 upload store keeps what it knows of each upload, shared by every node: in the metadata database
 * ({@code JdbcMetadataStore#s3Uploads}), so that a node continues an upload another one started.
 */
public interface S3UploadRecords {

    /**
     * An upload: how its bytes are cut into parts, how many count, when they were last written, and the encryption
     * domain its parts and blob are written in (null: the plain tree, with the deployment's encryption).
     */
    record Upload(String id, long partSize, long length, Instant modifiedAt, S3Domain domain) {
    }

    /** A part object: its size and the ETag of the version written, which commit copies only if unchanged. */
    record Part(int number, long size, String etag) {
    }

    /** Records a new empty upload in {@code domain} (null: the plain tree); false when one of that id exists. */
    boolean create(String id, long partSize, S3Domain domain, Instant now);

    Optional<Upload> find(String id);

    /**
     * Sets how many bytes count and forgets the parts after {@code lastPart} (their bytes no longer count).
     * False when the upload is gone.
     */
    boolean truncate(String id, long length, int lastPart, Instant now);

    /** Records a part written (replacing an earlier record of that number) and the upload's new length. */
    void putPart(String id, Part part, long length, Instant now);

    /** The recorded parts in order. */
    List<Part> parts(String id);

    /** Forgets the upload and its parts; unknown ids are not an error. */
    void delete(String id);

    /** Every recorded upload id. */
    List<String> ids();
}
