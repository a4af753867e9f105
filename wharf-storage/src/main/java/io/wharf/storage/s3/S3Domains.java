package io.wharf.storage.s3;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Encryption;
import io.wharf.core.spi.BlobStore;
import io.wharf.core.spi.EncryptionDomains;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encryption domains on S3 (docs/encryption.md): a repository whose setting is KMS or KMS_DSSE keeps its blobs and
 * upload parts under {@code domains/<folder>/}, written with SSE-KMS under its own key: S3 encrypts, Wharf passes the
 * repository's setting through. AES256 and unencrypted repositories use the plain tree with {@code storage.s3.sse}.
 * As on the filesystem, a blob shared by repositories with different keys is one object per key: a domain missing a
 * blob that the plain tree or another domain holds gets its own copy, server-side, when it is first read there.
 */
public final class S3Domains implements EncryptionDomains {
    private final DomainStores stores;
    private final S3UploadStore uploads;
    private final BlobStore plain;
    /** One store per domain: callers key their own state by the store (the integrity checks). */
    private final Map<S3Domain, BlobStore> byDomain = new ConcurrentHashMap<>();
    private final AnyDomain anyDomain = new AnyDomain();

    S3Domains(DomainStores stores, S3UploadStore uploads) {
        this.stores = stores;
        this.uploads = uploads;
        this.plain = new CopyingIn(stores.plain());
    }

    @Override
    public BlobStore blobs(Encryption encryption) {
        S3Domain domain = S3Domain.of(encryption);
        if (domain == null) {
            return plain;
        }
        BlobStore store = byDomain.get(domain);
        if (store != null) {
            return store;
        }
        try {
            byDomain.putIfAbsent(domain, new CopyingIn(stores.of(domain)));
            return byDomain.get(domain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void createUpload(String uploadId, Encryption encryption) throws IOException {
        uploads.create(uploadId, S3Domain.of(encryption));
    }

    @Override
    public BlobStore anyDomain() {
        return anyDomain;
    }

    /** The plain tree, then every domain. */
    private List<S3BlobStore> everyStore() throws IOException {
        List<S3BlobStore> all = new ArrayList<>();
        all.add(stores.plain());
        all.addAll(stores.all());
        return all;
    }

    /** Another store's copy of a blob: its key and size. */
    private Optional<Map.Entry<String, Long>> elsewhere(Digest digest, S3BlobStore except) throws IOException {
        for (S3BlobStore s : everyStore()) {
            if (!s.keyOf(digest).equals(except.keyOf(digest))) {
                OptionalLong size = s.size(digest);
                if (size.isPresent()) {
                    return Optional.of(Map.entry(s.keyOf(digest), size.getAsLong()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * One domain's store (or the plain tree's): reads as it does; only a miss looks further, and copies another
     * store's object into this one server-side, written with this store's encryption (no byte passes this node).
     */
    private final class CopyingIn implements BlobStore {
        private final S3BlobStore target;

        CopyingIn(S3BlobStore target) {
            this.target = target;
        }

        @Override
        public OptionalLong size(Digest digest) throws IOException {
            OptionalLong size = target.size(digest);
            return size.isPresent() || !copyIn(digest) ? size : target.size(digest);
        }

        @Override
        public SeekableByteChannel open(Digest digest) throws IOException {
            try {
                return target.open(digest);
            } catch (NoSuchFileException e) {
                if (!copyIn(digest)) {
                    throw e;
                }
                return target.open(digest);
            }
        }

        private boolean copyIn(Digest digest) throws IOException {
            Optional<Map.Entry<String, Long>> source = elsewhere(digest, target);
            if (source.isEmpty()) {
                return false;
            }
            target.objects().copy(source.get().getKey(), target.keyOf(digest), source.get().getValue());
            return true;
        }

        @Override
        public void delete(Digest digest) throws IOException {
            target.delete(digest);
        }

        @Override
        public List<BlobFile> list(Digest after, int limit) throws IOException {
            return target.list(after, limit);
        }

        @Override
        public void quarantine(Digest digest) throws IOException {
            target.quarantine(digest);
        }

        @Override
        public Optional<URI> downloadUrl(Digest digest) {
            return target.downloadUrl(digest);
        }
    }

    /** Every store at once: reads find any copy (copying nothing), deletes and quarantines reach every copy. */
    private final class AnyDomain implements BlobStore {
        /** The plain tree first: most blobs are there, and finding the domains costs a listing. */
        @Override
        public OptionalLong size(Digest digest) throws IOException {
            OptionalLong size = stores.plain().size(digest);
            for (Iterator<S3BlobStore> it = stores.all().iterator(); size.isEmpty() && it.hasNext(); ) {
                size = it.next().size(digest);
            }
            return size;
        }

        @Override
        public SeekableByteChannel open(Digest digest) throws IOException {
            for (S3BlobStore s : everyStore()) {
                try {
                    return s.open(digest);
                } catch (NoSuchFileException e) {
                    // the next store may hold it
                }
            }
            throw new NoSuchFileException(digest.toString());
        }

        @Override
        public void delete(Digest digest) throws IOException {
            for (S3BlobStore s : everyStore()) {
                s.delete(digest);
            }
        }

        /** The union in digest order: each store's first {@code limit} after {@code after}, merged and cut. */
        @Override
        public List<BlobFile> list(Digest after, int limit) throws IOException {
            Map<Digest, BlobFile> merged = new TreeMap<>();
            for (S3BlobStore s : everyStore()) {
                for (BlobFile f : s.list(after, limit)) {
                    merged.merge(f.digest(), f, (a, b) -> a.lastModified().isAfter(b.lastModified()) ? a : b);
                }
            }
            return new ArrayList<>(merged.values()).subList(0, Math.min(limit, merged.size()));
        }

        @Override
        public void quarantine(Digest digest) throws IOException {
            for (S3BlobStore s : everyStore()) {
                s.quarantine(digest);
            }
        }
    }
}
