package io.wharf.core.spi;

import io.wharf.core.model.Encryption;
import java.io.IOException;

/**
 * Where a repository's blob bytes live, by its encryption setting: the plain store, or the copy of the domain
 * of the key that encrypts it (one ciphertext per key for a blob shared across domains; see docs/encryption.md).
 */
public interface EncryptionDomains {

    /** The store holding the bytes of repositories with this setting; reading it makes the domain's copy when missing. */
    BlobStore blobs(Encryption encryption);

    /** Creates an upload whose bytes are kept (and committed) as the setting asks. */
    void createUpload(String uploadId, Encryption encryption) throws IOException;

    /**
     * Every domain at once, for garbage collection and the scrub: reads find a blob's copy in any domain, deletes and
     * quarantines reach every copy, listing merges the domains.
     */
    BlobStore anyDomain();

    /**
     * Whether the setting can be applied: the KMS key it names is in the key store. Stores that only record the
     * setting (S3: the bucket's own encryption) accept every setting.
     */
    default boolean accepts(Encryption encryption) {
        return true;
    }

    /** No encryption: every repository's bytes are plain. */
    static EncryptionDomains none(BlobStore blobs, UploadStore uploads) {
        return new EncryptionDomains() {
            @Override
            public BlobStore blobs(Encryption encryption) {
                return blobs;
            }

            @Override
            public void createUpload(String uploadId, Encryption encryption) throws IOException {
                uploads.create(uploadId);
            }

            @Override
            public BlobStore anyDomain() {
                return blobs;
            }
        };
    }
}
