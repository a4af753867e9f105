package io.wharf.storage.fs;

import com.google.crypto.tink.StreamingAead;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobCorruptException;
import io.wharf.core.spi.BlobStore;
import io.wharf.storage.crypto.EncryptionKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The blobs of one encryption domain: Tink streaming AEAD ciphertexts in their own content-addressed tree
 * ({@code <data>/encrypted/<domain>/blobs/…}), the digest as associated data. Reads decrypt (seekably: a range costs
 * only the segments it touches) and report plaintext sizes. A blob this domain lacks is copied in, checked and
 * re-encrypted, from any other domain that holds it ({@link Source}): shared blobs get one copy per key.
 */
public final class EncryptedBlobStore implements BlobStore {
    private static final int BUFFER = 1 << 20;
    /**
     * The empty blob is stored as an empty file: its content is no secret, and Tink's seekable channel cannot tell
     * the size of an empty plaintext. An empty file under any other digest fails to decrypt, as damage should.
     */
    private static final Digest EMPTY = Digest.sha256Of(new byte[0]);

    /** Where a missing copy may come from: the plaintext of the blob from another domain, or empty. */
    public interface Source {
        Optional<SeekableByteChannel> openElsewhere(Digest digest, BlobStore except) throws IOException;
    }

    private final String domain;
    private final FileSystemBlobStore files;
    private final EncryptionKeys keys;
    private final Source source;

    public EncryptedBlobStore(Path domainDir, String domain, EncryptionKeys keys, Source source) throws IOException {
        this.domain = domain;
        this.files = new FileSystemBlobStore(domainDir);
        this.keys = keys;
        this.source = source;
    }

    public String domain() {
        return domain;
    }

    @Override
    public OptionalLong size(Digest digest) throws IOException {
        if (!holds(digest) && !copyIn(digest)) {
            return OptionalLong.empty();
        }
        try (SeekableByteChannel in = decrypt(digest)) {
            return OptionalLong.of(in.size());
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public SeekableByteChannel open(Digest digest) throws IOException {
        if (!holds(digest)) {
            copyIn(digest);
        }
        return decrypt(digest);
    }

    /** Whether this domain has its own copy (no copying in). */
    public boolean holds(Digest digest) {
        return Files.exists(files.pathOf(digest));
    }

    /** Opens this domain's own copy, decrypting; no copying in. */
    public SeekableByteChannel decrypt(Digest digest) throws IOException {
        FileChannel ciphertext = FileChannel.open(files.pathOf(digest), StandardOpenOption.READ);
        if (ciphertext.size() == 0 && digest.equals(EMPTY)) {
            ciphertext.close();
            return new EmptyPlaintext();
        }
        StreamingAead key;
        try {
            key = key();
        } catch (RuntimeException e) {
            ciphertext.close(); // the key store's outage (a missing key, a wrong master key), not the blob's
            throw e;
        }
        try {
            return new Authenticated(primed(key.newSeekableDecryptingChannel(ciphertext, associated(digest))), digest);
        } catch (GeneralSecurityException | IOException e) {
            ciphertext.close();
            throw new BlobCorruptException("encrypted blob " + digest + " in domain " + domain
                    + " does not decrypt (damaged, tampered, or its key version is missing): " + e.getMessage(), e);
        }
    }

    /**
     * Encrypts {@code plaintext} as the blob {@code digest} (temporary file, fsync, atomic rename), after checking that
     * it hashes to the digest: no copy of other bytes is ever stored under it.
     */
    public void store(Digest digest, ReadableByteChannel plaintext) throws IOException {
        Path target = files.pathOf(digest);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".enc", ".tmp");
        try {
            MessageDigest hash = digest.newMessageDigest();
            if (!digest.equals(EMPTY)) {
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    try (WritableByteChannel enc = key().newEncryptingChannel(new Unclosed(out), associated(digest))) {
                        copy(plaintext, enc, hash);
                    }
                    out.force(true);
                }
            }
            if (!Digest.of(digest.algorithm(), hash.digest()).equals(digest)) {
                throw new IOException("bytes for " + digest + " do not hash to it; not stored");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            Fsync.directory(target.getParent());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt blob " + digest + " in domain " + domain, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private boolean copyIn(Digest digest) throws IOException {
        Optional<SeekableByteChannel> elsewhere = source.openElsewhere(digest, this);
        if (elsewhere.isEmpty()) {
            return false;
        }
        try (SeekableByteChannel in = elsewhere.get()) {
            store(digest, in);
        }
        return true;
    }

    @Override
    public void delete(Digest digest) throws IOException {
        files.delete(digest);
    }

    @Override
    public List<BlobFile> list(Digest after, int limit) throws IOException {
        return files.list(after, limit); // sizes on disk (ciphertext)
    }

    @Override
    public void quarantine(Digest digest) throws IOException {
        files.quarantine(digest);
    }

    /**
     * Reads the first byte and goes back: a keyset of several versions finds the version that opens the file only on a
     * first read, and its size (the plaintext's) is known only then. This authenticates the first segment.
     */
    static SeekableByteChannel primed(SeekableByteChannel decrypting) throws IOException {
        decrypting.read(ByteBuffer.allocate(1));
        return decrypting.position(0);
    }

    /** The empty plaintext. */
    private static final class EmptyPlaintext implements SeekableByteChannel {
        private boolean open = true;

        @Override
        public int read(ByteBuffer dst) {
            return -1;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            return this;
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private StreamingAead key() {
        return keys.dataKey(domain);
    }

    private static byte[] associated(Digest digest) {
        return digest.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void copy(ReadableByteChannel in, WritableByteChannel out, MessageDigest hash) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        while (in.read(buf) >= 0) {
            buf.flip();
            if (hash != null) {
                hash.update(buf.array(), 0, buf.limit());
            }
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            buf.clear();
        }
    }

    /** Lets the file be synced after the encrypting channel wrote its last segment and closed. */
    private record Unclosed(FileChannel file) implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) throws IOException {
            return file.write(src);
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        @Override
        public void close() {
        }
    }

    /** Names the blob when authentication fails, so that a tampered file is reported as what it is. */
    private record Authenticated(SeekableByteChannel in, Digest digest) implements SeekableByteChannel {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            try {
                return in.read(dst);
            } catch (java.nio.channels.ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException("encrypted blob " + digest + " failed authentication (damaged or tampered): "
                        + e.getMessage(), e);
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            return in.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            in.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return in.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return in.isOpen();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
