package io.wharf.storage.fs;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Encryption;
import io.wharf.core.spi.BlobStore;
import io.wharf.core.spi.EncryptionDomains;
import io.wharf.core.spi.UploadStore;
import io.wharf.storage.crypto.EncryptionKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The filesystem stores split into encryption domains (docs/encryption.md): the plain tree for unencrypted
 * repositories, {@code <data>/encrypted/<domain>/} per key. As an {@link UploadStore} it reaches the uploads of every
 * domain (an encrypted upload is a directory of {@link EncryptedUploadStore}, a plain one the plain store's file).
 */
public final class EncryptedStores implements EncryptionDomains, UploadStore {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final FileSystemBlobStore plainFiles;
    private final FileSystemUploadStore plainUploads;
    private final PlainBlobs plain;
    private final EncryptionKeys keys;
    private final boolean encryptAes256;
    private final Path domainsDir;
    private final EncryptedUploadStore encryptedUploads;
    private final Map<String, EncryptedBlobStore> domains = new ConcurrentHashMap<>();
    private final AnyDomain anyDomain = new AnyDomain();

    /** @param encryptAes256 whether AES256 repositories are encrypted with the registry key (else stored plain) */
    public EncryptedStores(FileSystemBlobStore plainFiles, FileSystemUploadStore plainUploads, EncryptionKeys keys,
                           boolean encryptAes256) throws IOException {
        this.plainFiles = plainFiles;
        this.plainUploads = plainUploads;
        this.plain = new PlainBlobs();
        this.keys = keys;
        this.encryptAes256 = encryptAes256;
        this.domainsDir = plainFiles.dataDir().resolve("encrypted");
        this.encryptedUploads = new EncryptedUploadStore(plainFiles.dataDir().resolve("encrypted-uploads"), keys, this::domain);
        Files.createDirectories(domainsDir);
    }

    /** The domain of a setting: null for plain, {@code aes256} for the registry key, {@code kms-<name>} for a named key. */
    public String domainOf(Encryption encryption) {
        if (encryption == null || encryption.type() == Encryption.Type.AES256) {
            return encryption != null && encryptAes256 ? EncryptionKeys.AES256_DOMAIN : null;
        }
        return "kms-" + keys.resolve(encryption.kmsKey()).orElseThrow(() -> new UncheckedIOException(new IOException(
                "the repository's KMS key " + encryption.kmsKey() + " is not in Wharf's key store (wharf kms list)")));
    }

    @Override
    public boolean accepts(Encryption encryption) {
        try {
            domainOf(encryption);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    @Override
    public BlobStore blobs(Encryption encryption) {
        String domain = domainOf(encryption);
        return domain == null ? plain : domain(domain);
    }

    @Override
    public void createUpload(String uploadId, Encryption encryption) throws IOException {
        String domain = domainOf(encryption);
        if (domain == null) {
            plainUploads.create(uploadId);
        } else {
            encryptedUploads.create(safe(uploadId), domain);
        }
    }

    @Override
    public BlobStore anyDomain() {
        return anyDomain;
    }

    /** The store of one key's domain (created on first use). */
    public EncryptedBlobStore domain(String name) {
        return domains.computeIfAbsent(name, n -> {
            try {
                return new EncryptedBlobStore(domainsDir.resolve(n), n, keys, this::openElsewhere);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The plaintext of a blob from the plain tree or another domain's copy. */
    private Optional<SeekableByteChannel> openElsewhere(Digest digest, BlobStore except) throws IOException {
        if (except != plain && plainFiles.size(digest).isPresent()) {
            try {
                return Optional.of(plainFiles.open(digest));
            } catch (NoSuchFileException e) {
                // deleted meanwhile: try the domains
            }
        }
        for (EncryptedBlobStore d : allDomains()) {
            if (d != except && d.holds(digest)) {
                return Optional.of(d.decrypt(digest));
            }
        }
        return Optional.empty();
    }

    private List<EncryptedBlobStore> allDomains() throws IOException {
        try (Stream<Path> dirs = Files.list(domainsDir)) {
            return dirs.filter(Files::isDirectory).map(p -> domain(p.getFileName().toString())).toList();
        }
    }

    // ---- UploadStore: every domain's uploads ----

    @Override
    public void create(String uploadId) throws IOException {
        plainUploads.create(uploadId);
    }

    @Override
    public WritableByteChannel append(String uploadId, long offset) throws IOException {
        return encrypted(uploadId) ? encryptedUploads.append(uploadId, offset) : plainUploads.append(uploadId, offset);
    }

    @Override
    public long length(String uploadId) throws IOException {
        return encrypted(uploadId) ? encryptedUploads.length(uploadId) : plainUploads.length(uploadId);
    }

    @Override
    public ReadableByteChannel read(String uploadId) throws IOException {
        return encrypted(uploadId) ? encryptedUploads.read(uploadId) : plainUploads.read(uploadId);
    }

    @Override
    public void commit(String uploadId, long length, Digest digest) throws IOException {
        if (encrypted(uploadId)) {
            encryptedUploads.commit(uploadId, length, digest);
        } else {
            plainUploads.commit(uploadId, length, digest);
        }
    }

    @Override
    public void delete(String uploadId) throws IOException {
        if (encrypted(uploadId)) {
            encryptedUploads.delete(uploadId);
        } else {
            plainUploads.delete(uploadId);
        }
    }

    @Override
    public Instant lastModified(String uploadId) throws IOException {
        return encrypted(uploadId) ? encryptedUploads.lastModified(uploadId) : plainUploads.lastModified(uploadId);
    }

    @Override
    public List<String> list() throws IOException {
        TreeSet<String> ids = new TreeSet<>(plainUploads.list());
        ids.addAll(encryptedUploads.list());
        return List.copyOf(ids);
    }

    private boolean encrypted(String uploadId) {
        return encryptedUploads.holds(safe(uploadId));
    }

    private static String safe(String uploadId) {
        if (uploadId == null || !SAFE_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("unsafe upload id: " + uploadId);
        }
        return uploadId;
    }

    /**
     * The plain tree, read exactly as before (a {@link java.nio.channels.FileChannel}, sent mapped); only a miss looks
     * further: a blob held only encrypted (mounted from an encrypted repository) is decrypted, checked and stored plain
     * through an ordinary upload commit.
     */
    private final class PlainBlobs implements BlobStore {
        @Override
        public OptionalLong size(Digest digest) throws IOException {
            OptionalLong size = plainFiles.size(digest);
            return size.isPresent() || !copyIn(digest) ? size : plainFiles.size(digest);
        }

        @Override
        public SeekableByteChannel open(Digest digest) throws IOException {
            try {
                return plainFiles.open(digest);
            } catch (NoSuchFileException e) {
                if (!copyIn(digest)) {
                    throw e;
                }
                return plainFiles.open(digest);
            }
        }

        private boolean copyIn(Digest digest) throws IOException {
            Optional<SeekableByteChannel> elsewhere = openElsewhere(digest, this);
            if (elsewhere.isEmpty()) {
                return false;
            }
            String id = "decrypted-" + UUID.randomUUID();
            plainUploads.create(id);
            try (SeekableByteChannel in = elsewhere.get()) {
                MessageDigest hash = digest.newMessageDigest();
                long length = in.size();
                try (WritableByteChannel out = plainUploads.append(id, 0)) {
                    EncryptedBlobStore.copy(in, out, hash);
                }
                if (!Digest.of(digest.algorithm(), hash.digest()).equals(digest)) {
                    throw new IOException("bytes for " + digest + " do not hash to it; not stored");
                }
                plainUploads.commit(id, length, digest);
                return true;
            } finally {
                plainUploads.delete(id);
            }
        }

        @Override
        public void delete(Digest digest) throws IOException {
            plainFiles.delete(digest);
        }

        @Override
        public List<BlobFile> list(Digest after, int limit) throws IOException {
            return plainFiles.list(after, limit);
        }

        @Override
        public void quarantine(Digest digest) throws IOException {
            plainFiles.quarantine(digest);
        }
    }

    /** Every domain: reads find any copy (no copying), deletes reach every copy, listing merges the domains. */
    private final class AnyDomain implements BlobStore {
        @Override
        public OptionalLong size(Digest digest) throws IOException {
            OptionalLong size = plainFiles.size(digest);
            if (size.isPresent()) {
                return size;
            }
            for (EncryptedBlobStore d : allDomains()) {
                if (d.holds(digest)) {
                    try (SeekableByteChannel in = d.decrypt(digest)) {
                        return OptionalLong.of(in.size());
                    }
                }
            }
            return OptionalLong.empty();
        }

        @Override
        public SeekableByteChannel open(Digest digest) throws IOException {
            return openElsewhere(digest, null).orElseThrow(() -> new NoSuchFileException(digest.toString()));
        }

        @Override
        public void delete(Digest digest) throws IOException {
            plainFiles.delete(digest);
            for (EncryptedBlobStore d : allDomains()) {
                d.delete(digest);
            }
        }

        /** The union in digest order: each store's first {@code limit} after {@code after}, merged and cut. */
        @Override
        public List<BlobFile> list(Digest after, int limit) throws IOException {
            Map<Digest, BlobFile> merged = new java.util.TreeMap<>();
            for (BlobFile f : plainFiles.list(after, limit)) {
                merged.put(f.digest(), f);
            }
            for (EncryptedBlobStore d : allDomains()) {
                for (BlobFile f : d.list(after, limit)) {
                    merged.merge(f.digest(), f, (a, b) -> a.lastModified().isAfter(b.lastModified()) ? a : b);
                }
            }
            return new ArrayList<>(merged.values()).subList(0, Math.min(limit, merged.size()));
        }

        @Override
        public void quarantine(Digest digest) throws IOException {
            plainFiles.quarantine(digest);
            for (EncryptedBlobStore d : allDomains()) {
                d.quarantine(digest);
            }
        }
    }
}
