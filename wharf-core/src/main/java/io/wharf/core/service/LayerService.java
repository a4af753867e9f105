package io.wharf.core.service;

import io.wharf.core.error.BlobUnknownException;
import io.wharf.core.error.DigestInvalidException;
import io.wharf.core.error.LayerAlreadyExistsException;
import io.wharf.core.error.LayerInaccessibleException;
import io.wharf.core.error.LayerInvalidException;
import io.wharf.core.error.LayerPartInvalidException;
import io.wharf.core.error.LayerPartTooSmallException;
import io.wharf.core.error.LimitExceededException;
import io.wharf.core.error.RangeNotSatisfiableException;
import io.wharf.core.error.UploadEmptyException;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.UploadParts;
import java.util.OptionalLong;

/**
 * ECR's layer operations: availability, multi-part uploads (driving the same {@link UploadService}
 * as the registry API's chunked uploads) and download checks. Parts must be contiguous and, except
 * the last, at least the minimum part size; that is only known at completion, so it is checked there.
 */
public final class LayerService {
    private final MetadataStore meta;
    private final Repositories repositories;
    private final UploadService uploads;
    private final Quotas quotas;
    private final DomainIntegrity integrity;
    private final LinkedBlobs linked;

    LayerService(MetadataStore meta, LinkedBlobs linked, Repositories repositories, UploadService uploads, Quotas quotas,
                 DomainIntegrity integrity) {
        this.meta = meta;
        this.linked = linked;
        this.repositories = repositories;
        this.uploads = uploads;
        this.quotas = quotas;
        this.integrity = integrity;
    }

    /**
     * Size of the blob when this repository holds it (availability is per repository) and its bytes are
     * stored: a client skips uploading an available layer, so a missing or damaged one must not be.
     */
    public OptionalLong availability(RepoKey key, Digest digest) {
        return held(repositories.require(key), digest);
    }

    private OptionalLong held(Repository repo, Digest digest) {
        OptionalLong size = linked.size(repo.id(), digest);
        return size.isPresent() && integrity.of(repo).isStored(digest, size.getAsLong()) ? size : OptionalLong.empty();
    }

    /** Starts an upload for {@code owner}; unlike a registry push this never creates the repository. */
    public UploadStatus initiate(RepoKey key, String owner) {
        repositories.require(key);
        return uploads.start(key, owner);
    }

    /**
     * Appends the part {@code [first, last]} (inclusive). Returns the last byte received.
     */
    public long uploadPart(RepoKey key, String uploadId, long first, long last, byte[] part) {
        if (part.length == 0 || last - first + 1 != part.length || part.length > quotas.maxPartBytes()) {
            long received = uploads.status(key, uploadId).offset();
            throw new LayerPartInvalidException("The layer part is empty, larger than " + quotas.maxPartBytes()
                    + " bytes, or does not span partFirstByte to partLastByte", uploadId, received - 1);
        }
        return uploads.locked(uploadId, () -> {
            UploadParts parts = meta.uploadParts(uploadId);
            if (parts.count() >= quotas.maxPartsPerUpload()) {
                throw new LimitExceededException("The upload has reached the maximum of " + quotas.maxPartsPerUpload()
                        + " parts", uploadId);
            }
            long offset;
            try {
                offset = uploads.append(key, uploadId, first, (long) part.length, BodySource.of(part)).offset();
            } catch (RangeNotSatisfiableException e) {
                throw new LayerPartInvalidException("The part's first byte " + first + " does not follow the last byte "
                        + "received, " + (e.currentSize() - 1), uploadId, e.currentSize() - 1);
            }
            meta.putUploadParts(uploadId, parts.next(part.length, quotas.minPartBytes()));
            return offset - 1;
        });
    }

    /** Finishes the upload; the blob becomes part of the repository only if it hashes to {@code digest}. */
    public Digest complete(RepoKey key, String uploadId, Digest digest) {
        return uploads.locked(uploadId, () -> {
            long size = uploads.status(key, uploadId).offset();
            if (size == 0) {
                throw new UploadEmptyException("The upload with id '" + uploadId + "' contains no layer parts", uploadId);
            }
            if (meta.uploadParts(uploadId).undersized()) {
                throw new LayerPartTooSmallException("A layer part other than the last is smaller than "
                        + quotas.minPartBytes() + " bytes", uploadId);
            }
            Repository repo = repositories.require(key);
            if (held(repo, digest).isPresent()) {
                uploads.cancel(key, uploadId);
                throw new LayerAlreadyExistsException("The layer '" + digest + "' already exists in the repository "
                        + "with name '" + key.name() + "' in registry with id '" + key.account() + "'", digest.toString());
            }
            try {
                return uploads.complete(key, uploadId, digest, null, 0L, BodySource.EMPTY);
            } catch (DigestInvalidException e) {
                throw new LayerInvalidException("The calculated digest of the upload does not match '" + digest + "'",
                        digest.toString());
            }
        });
    }

    /** Size of a blob that may be downloaded: held by the repository and referenced by one of its images. */
    public long downloadable(RepoKey key, Digest digest) {
        Repository repo = repositories.require(key);
        long size = meta.linkedBlobSize(repo.id(), digest).orElseThrow(() -> new BlobUnknownException(
                "The layer with digest '" + digest + "' does not exist in the repository with name '" + key.name()
                        + "' in the registry with id '" + key.account() + "'", digest.toString()));
        if (!meta.isBlobReferenced(repo.id(), digest)) {
            throw new LayerInaccessibleException("The layer with digest '" + digest + "' is not referenced by any "
                    + "image in the repository with name '" + key.name() + "'", digest.toString());
        }
        integrity.of(repo).requireStored(digest, size);
        return size;
    }

    /** Where a downloadable blob ({@link #downloadable}) may be fetched from the store itself; empty: from the registry. */
    public java.util.Optional<java.net.URI> downloadUrl(RepoKey key, Digest digest) {
        downloadable(key, digest);
        return integrity.of(repositories.require(key)).downloadUrl(digest);
    }
}
