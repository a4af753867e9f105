package io.wharf.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Encryption;
import io.wharf.core.spi.BlobStore;
import io.wharf.storage.crypto.EncryptionKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encryption domains on real files: uploads and blobs encrypted, read back whole and by range, shared across keys. */
class EncryptedStoresTest {
    private static final int SEGMENT = 1 << 20;
    private static final Encryption AES = Encryption.AES256;

    @TempDir
    Path data;
    private EncryptionKeys keys;
    private EncryptedStores stores;
    private FileSystemBlobStore plainFiles;

    @BeforeEach
    void open() throws IOException {
        byte[] master = new byte[32];
        new Random(1).nextBytes(master);
        keys = new EncryptionKeys(data.resolve("keys"), master);
        plainFiles = new FileSystemBlobStore(data);
        stores = new EncryptedStores(plainFiles, new FileSystemUploadStore(plainFiles), keys, true);
    }

    @Test
    void anUploadAndItsBlobAreEncryptedOnDiskAndReadBackWholeAndByRange() throws Exception {
        byte[] plain = bytes(3 * SEGMENT + 12345, 7);
        Digest digest = sha256(plain);
        stores.createUpload("u1", AES);
        append("u1", 0, Arrays.copyOfRange(plain, 0, 1000));
        append("u1", 1000, Arrays.copyOfRange(plain, 1000, SEGMENT + 77));
        append("u1", 500, Arrays.copyOfRange(plain, 500, 2 * SEGMENT)); // an unacknowledged tail is rewritten
        assertThat(stores.length("u1")).isEqualTo(2 * SEGMENT);
        assertNotOnDisk(plain, Arrays.copyOfRange(plain, 0, 2 * SEGMENT));
        append("u1", 2 * SEGMENT, Arrays.copyOfRange(plain, 2 * SEGMENT, plain.length));
        assertThat(readAll(stores.read("u1"))).isEqualTo(plain);

        stores.commit("u1", plain.length, digest);

        BlobStore blobs = stores.blobs(AES);
        assertThat(stores.list()).isEmpty();
        assertThat(blobs.size(digest)).hasValue(plain.length);
        assertThat(plainFiles.size(digest)).isEmpty();
        assertNotOnDisk(plain, plain);
        assertThat(readAll(blobs.open(digest))).isEqualTo(plain);
        try (SeekableByteChannel in = blobs.open(digest)) {
            for (long at : new long[] {0, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3L * SEGMENT - 40, plain.length - 1}) {
                int n = (int) Math.min(100, plain.length - at);
                assertThat(readAt(in, at, n)).as("range at " + at).isEqualTo(Arrays.copyOfRange(plain, (int) at, (int) at + n));
            }
        }
    }

    @Test
    void emptyBlobsAndEmptyChunksRoundTrip() throws Exception {
        stores.createUpload("e1", AES);
        append("e1", 0, new byte[0]);
        append("e1", 0, new byte[] {1, 2, 3});
        append("e1", 3, new byte[0]);
        assertThat(stores.length("e1")).isEqualTo(3);
        stores.delete("e1");
        Digest empty = store(AES, new byte[0]);
        assertThat(stores.blobs(AES).size(empty)).hasValue(0);
        assertThat(readAll(stores.blobs(AES).open(empty))).isEmpty();
    }

    @Test
    void tamperedCiphertextFailsWithAClearErrorNotGarbage() throws Exception {
        byte[] plain = bytes(2 * SEGMENT, 3);
        Digest digest = store(AES, plain);
        Path file = ciphertextOf(digest);
        byte[] raw = Files.readAllBytes(file);
        raw[SEGMENT + 100] ^= 1; // in the second segment
        Files.write(file, raw);
        try (SeekableByteChannel in = stores.blobs(AES).open(digest)) {
            assertThat(readAt(in, 0, 1000)).isEqualTo(Arrays.copyOf(plain, 1000)); // the first segment is intact
            assertThatThrownBy(() -> readAt(in, SEGMENT + 10, 10)).isInstanceOf(IOException.class)
                    .hasMessageContaining("failed authentication").hasMessageContaining(digest.toString());
        }
    }

    @Test
    void aCiphertextMovedToAnotherDigestDoesNotOpen() throws Exception {
        Digest a = store(AES, bytes(5000, 1));
        Digest b = store(AES, bytes(5000, 2));
        Files.copy(ciphertextOf(a), ciphertextOf(b), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> readAll(stores.blobs(AES).open(b))).isInstanceOf(io.wharf.core.spi.BlobCorruptException.class)
                .hasMessageContaining(b.toString());
    }

    @Test
    void aSharedBlobGetsOneCopyPerDomainAndGarbageCollectionDeletesThemAll() throws Exception {
        keys.createKey("team-a");
        keys.createKey("team-b");
        Encryption a = new Encryption(Encryption.Type.KMS, "arn:aws:kms:us-east-1:123456789012:key/team-a");
        Encryption b = new Encryption(Encryption.Type.KMS, "alias/team-b");
        byte[] plain = bytes(SEGMENT + 5, 9);
        Digest digest = store(null, plain); // pushed to an unencrypted repository first

        for (Encryption e : new Encryption[] {a, b, AES}) {
            try (SeekableByteChannel in = stores.blobs(e).open(digest)) {
                assertThat(readAll(in)).isEqualTo(plain);
            }
        }
        assertThat(stores.domain("kms-team-a").holds(digest)).isTrue();
        assertThat(stores.domain("kms-team-b").holds(digest)).isTrue();
        assertThat(Files.readAllBytes(ciphertextOf(digest, "kms-team-a")))
                .isNotEqualTo(Files.readAllBytes(ciphertextOf(digest, "kms-team-b")));
        assertThat(stores.anyDomain().list(null, 10)).extracting(BlobStore.BlobFile::digest).containsExactly(digest);

        stores.anyDomain().delete(digest);
        for (Encryption e : new Encryption[] {null, a, b, AES}) {
            assertThat(stores.blobs(e).size(digest)).isEmpty();
        }
    }

    @Test
    void aBlobHeldOnlyEncryptedIsDecryptedIntoThePlainTreeForAnUnencryptedRepository() throws Exception {
        byte[] plain = bytes(70_000, 4);
        Digest digest = store(AES, plain);
        assertThat(plainFiles.size(digest)).isEmpty();
        try (SeekableByteChannel in = stores.blobs(null).open(digest)) {
            assertThat(in).isInstanceOf(java.nio.channels.FileChannel.class); // the plain fast path
            assertThat(readAll(in)).isEqualTo(plain);
        }
        assertThat(plainFiles.size(digest)).hasValue(plain.length);
    }

    @Test
    void rotationKeepsOldBlobsReadableAndEncryptsNewOnesWithTheNewVersion() throws Exception {
        keys.createKey("rotating");
        Encryption kms = new Encryption(Encryption.Type.KMS, "rotating");
        byte[] before = bytes(10_000, 5);
        Digest old = store(kms, before);
        keys.rotate("rotating");
        keys.rotate("rotating");
        assertThat(keys.list()).containsExactly(new EncryptionKeys.KeyInfo("rotating", 3));
        byte[] after = bytes(10_000, 6);
        Digest fresh = store(kms, after);
        assertThat(readAll(stores.blobs(kms).open(old))).isEqualTo(before);
        assertThat(readAll(stores.blobs(kms).open(fresh))).isEqualTo(after);

        // a server started afresh on the same key files reads both
        EncryptionKeys reopened = new EncryptionKeys(data.resolve("keys"), master());
        EncryptedStores again = new EncryptedStores(plainFiles, new FileSystemUploadStore(plainFiles), reopened, true);
        assertThat(readAll(again.blobs(kms).open(old))).isEqualTo(before);
    }

    @Test
    void theWrongMasterKeyOpensNothing() throws Exception {
        Digest digest = store(AES, bytes(100, 1));
        byte[] other = new byte[32];
        EncryptedStores wrong = new EncryptedStores(plainFiles, new FileSystemUploadStore(plainFiles),
                new EncryptionKeys(data.resolve("keys"), other), true);
        assertThatThrownBy(() -> wrong.blobs(AES).open(digest)).as("an outage (503), not damage")
                .isInstanceOf(io.wharf.core.error.StorageUnavailableException.class).hasMessageContaining("wrong master key");
    }

    @Test
    void anUnknownKmsKeyIsRefusedAndKeyFilesNeverHoldPlainKeys() throws Exception {
        assertThatThrownBy(() -> stores.blobs(new Encryption(Encryption.Type.KMS, "nope")))
                .hasMessageContaining("not in Wharf's key store");
        assertThat(keys.resolve("arn:aws:kms:eu-west-1:123456789012:alias/nope")).isEmpty();
        keys.createKey("k");
        assertThat(keys.resolve("arn:aws:kms:eu-west-1:123456789012:alias/k")).hasValue("k");
        assertThat(Files.getPosixFilePermissions(data.resolve("keys/encryption/kek-k.keyset")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    private Digest store(Encryption e, byte[] plain) throws IOException {
        Digest digest = sha256(plain);
        String id = "s" + Math.abs(digest.hex().hashCode());
        stores.createUpload(id, e);
        append(id, 0, plain);
        stores.commit(id, plain.length, digest);
        return digest;
    }

    private void append(String id, long offset, byte[] chunk) throws IOException {
        try (WritableByteChannel out = stores.append(id, offset)) {
            ByteBuffer buf = ByteBuffer.wrap(chunk);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        }
    }

    private Path ciphertextOf(Digest d) {
        return ciphertextOf(d, "aes256");
    }

    private Path ciphertextOf(Digest d, String domain) {
        return data.resolve("encrypted").resolve(domain).resolve("blobs/sha256").resolve(d.hex().substring(0, 2)).resolve(d.hex());
    }

    /** No 4 KiB window of the plaintext (at 4 KiB steps) appears in any file under the data directory. */
    private void assertNotOnDisk(byte[] plain, byte[] windowsOf) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String disk = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (int at = 0; at + 4096 <= windowsOf.length; at += 4096) {
                    String window = new String(windowsOf, at, 4096, java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertThat(disk.contains(window)).as(f + " holds plaintext at " + at).isFalse();
                }
            }
        }
    }

    private static byte[] readAll(java.nio.channels.ReadableByteChannel in) throws IOException {
        try (in) {
            return java.nio.channels.Channels.newInputStream(in).readAllBytes();
        }
    }

    private static byte[] readAt(SeekableByteChannel in, long at, int n) throws IOException {
        in.position(at);
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining() && in.read(buf) >= 0) {
            // until full
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private byte[] master() {
        byte[] master = new byte[32];
        new Random(1).nextBytes(master);
        return master;
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Digest sha256(byte[] b) {
        return Digest.sha256Of(b);
    }
}
