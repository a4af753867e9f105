package io.wharf.core.service;

import io.wharf.core.error.BlobUnknownException;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobIndex;
import io.wharf.core.spi.Repository;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

/** Reading and unlinking blobs of a repository. */
public final class BlobService {
    private final BlobIndex meta;
    private final LinkedBlobs linked;
    private final DomainIntegrity integrity;
    private final Repositories repositories;

    BlobService(BlobIndex meta, LinkedBlobs linked, DomainIntegrity integrity, Repositories repositories) {
        this.meta = meta;
        this.linked = linked;
        this.integrity = integrity;
        this.repositories = repositories;
    }

    /**
     * Size of a blob the repository may serve, once the store was seen to hold that many bytes: a HEAD
     * must not promise what a GET cannot deliver, and clients skip pushing a blob a HEAD finds.
     */
    public long stat(RepoKey key, Digest digest) {
        Repository repo = repositories.require(key);
        long size = recordedSize(repo, digest);
        integrity.of(repo).requireStored(digest, size);
        return size;
    }

    /** Opens a blob the repository may serve, checked to have its recorded size; the caller closes the channel. */
    public SeekableByteChannel open(RepoKey key, Digest digest) {
        Repository repo = repositories.require(key);
        return integrity.of(repo).open(digest, recordedSize(repo, digest));
    }

    /**
     * Where the client may fetch a blob the repository may serve straight from the store (a presigned URL), checked
     * like {@link #stat} first; empty when the store does not redirect, and then the blob is streamed.
     */
    public Optional<URI> downloadUrl(RepoKey key, Digest digest) {
        stat(key, digest);
        return integrity.of(repositories.require(key)).downloadUrl(digest);
    }

    /** A check of a full read's bytes against the digest, for the optional verification while sending. */
    public BlobIntegrity.ReadCheck readCheck(Digest digest, long size) {
        return integrity.plain().readCheck(digest, size);
    }

    private long recordedSize(Repository repo, Digest digest) {
        return linked.size(repo.id(), digest).orElseThrow(() -> unknown(digest));
    }

    /** Removes the blob from the repository; the bytes stay until garbage collection. */
    public void delete(RepoKey key, Digest digest) {
        Repository repo = repositories.require(key);
        if (!meta.unlinkBlob(repo.id(), digest)) {
            throw unknown(digest);
        }
    }

    private static BlobUnknownException unknown(Digest digest) {
        return new BlobUnknownException("blob unknown to registry", digest.toString());
    }
}
