package io.wharf.core.service;

import io.wharf.core.error.BlobUnknownException;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobStore;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;

/** Reading and unlinking blobs of a repository. */
public final class BlobService {
    private final MetadataStore meta;
    private final BlobStore blobs;
    private final Repositories repositories;

    BlobService(MetadataStore meta, BlobStore blobs, Repositories repositories) {
        this.meta = meta;
        this.blobs = blobs;
        this.repositories = repositories;
    }

    /** Size of a blob the repository may serve. */
    public long stat(RepoKey key, Digest digest) {
        Repository repo = repositories.require(key);
        return meta.linkedBlobSize(repo.id(), digest).orElseThrow(() -> unknown(digest));
    }

    /** Opens a blob the repository may serve; the caller closes the channel. */
    public SeekableByteChannel open(RepoKey key, Digest digest) {
        stat(key, digest);
        try {
            return blobs.open(digest);
        } catch (NoSuchFileException e) {
            throw unknown(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
