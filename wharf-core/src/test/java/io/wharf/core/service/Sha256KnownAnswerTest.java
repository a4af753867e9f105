package io.wharf.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.DigestInvalidException;
import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.testing.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SHA-256 known answers (FIPS 180-2, appendix B, and the NIST examples), through every way Wharf computes a
 * digest: {@link Digest#sha256Of}, the streaming {@link HashingCopier} (chunks that straddle the 64-byte
 * blocks), the hash rebuilt from stored bytes after a restart, and an upload verified against the answer.
 * Elsewhere tests compute expected digests with the code under test; these would notice if it were wrong.
 */
class Sha256KnownAnswerTest {
    private static final String OWNER = "arn:aws:iam::000000000000:root";
    private final RepoKey repo = new RepoKey("000000000000", RepositoryName.parse("kat"));

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("empty", ascii(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                Arguments.of("abc", ascii("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                Arguments.of("448 bits", ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
                Arguments.of("896 bits", ascii("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                                + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
                        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
                Arguments.of("a million 'a'", ascii("a".repeat(1_000_000)),
                        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void digestOfBytes(String name, byte[] message, String expected) {
        assertThat(Digest.sha256Of(message)).hasToString("sha256:" + expected);
        assertThat(Digest.parse("sha256:" + expected)).isEqualTo(Digest.sha256Of(message));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void streamedInUnevenChunks(String name, byte[] message, String expected) throws IOException {
        MessageDigest hash = Digest.Algorithm.SHA256.newMessageDigest();
        Sink sink = new Sink();
        long copied = HashingCopier.copy(chunked(message), sink, hash::update, 0, Long.MAX_VALUE);
        assertThat(copied).isEqualTo(message.length);
        assertThat(sink.written).isEqualTo(message.length);
        assertThat(HexFormat.of().formatHex(hash.digest())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void rebuiltFromStoredBytes(String name, byte[] message, String expected) throws IOException {
        MessageDigest hash = Digest.Algorithm.SHA256.newMessageDigest();
        HashingCopier.hash(Channels.newChannel(new ByteArrayInputStream(message)), hash::update, message.length);
        assertThat(HexFormat.of().formatHex(hash.digest())).isEqualTo(expected);
    }

    /** The resumable hash of chunked uploads, streamed in uneven chunks from heap and direct buffers. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void resumableHashStreamed(String name, byte[] message, String expected) throws IOException {
        ResumableSha256 hash = ResumableSha256.fresh();
        HashingCopier.copy(chunked(message), new Sink(), hash::update, 0, Long.MAX_VALUE);
        assertThat(HexFormat.of().formatHex(hash.peekDigest())).isEqualTo(expected);
        ResumableSha256 direct = ResumableSha256.fresh();
        HashingCopier.hash(Channels.newChannel(new ByteArrayInputStream(message)), direct::update, message.length);
        assertThat(HexFormat.of().formatHex(direct.peekDigest())).isEqualTo(expected);
    }

    /**
     * The state saved at odd offsets (inside a 64-byte block, on its edge, one past it) and restored in a fresh
     * object, as another node does, gives the known answer; peeking at the digest does not disturb the state.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void resumableHashSavedAndRestoredMidStream(String name, byte[] message, String expected) {
        for (int cut : new int[] {0, 1, 3, 55, 56, 63, 64, 65, 127, 1001, 65_537, message.length / 2, message.length}) {
            if (cut > message.length) {
                continue;
            }
            ResumableSha256 first = ResumableSha256.fresh();
            first.update(ByteBuffer.wrap(message, 0, cut));
            first.peekDigest();
            byte[] saved = first.state();
            ResumableSha256 second = ResumableSha256.restore(saved.clone());
            ByteBuffer rest = ByteBuffer.allocateDirect(message.length - cut).put(message, cut, message.length - cut).flip();
            second.update(rest);
            assertThat(HexFormat.of().formatHex(second.peekDigest())).as("cut at %d", cut).isEqualTo(expected);
            first.update(ByteBuffer.wrap(message, cut, message.length - cut));
            assertThat(HexFormat.of().formatHex(first.peekDigest())).as("continued at %d", cut).isEqualTo(expected);
        }
    }

    /** A chunked upload, its hash state lost halfway (a restart), completes only under the known answer. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void uploadVerifiedAgainstTheKnownAnswer(String name, byte[] message, String expected) {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        InMemoryMetadataStore meta = new InMemoryMetadataStore();
        ManualClock clock = new ManualClock();
        InMemoryUploadStore uploads = new InMemoryUploadStore(blobs, clock);
        Registry before = new Registry(meta, blobs, uploads, RegistryLimits.defaults(), clock);
        UploadStatus s = before.uploads().start(repo, OWNER);
        int half = message.length / 2;
        before.uploads().append(repo, s.uploadId(), 0L, (long) half, BodySource.of(Arrays.copyOf(message, half)));
        Registry after = new Registry(meta, blobs, uploads, RegistryLimits.defaults(), clock);
        BodySource rest = BodySource.of(Arrays.copyOfRange(message, half, message.length));
        Digest wrong = Digest.parse("sha256:" + "0".repeat(64));
        assertThatThrownBy(() -> after.uploads().complete(repo, s.uploadId(), wrong, (long) half,
                (long) (message.length - half), rest)).isInstanceOf(DigestInvalidException.class);
        Digest known = Digest.parse("sha256:" + expected);
        assertThat(after.uploads().complete(repo, s.uploadId(), known, null, 0L, BodySource.EMPTY)).isEqualTo(known);
        assertThat(after.blobs().stat(repo, known)).isEqualTo(message.length);
    }

    /** Monolithic: the digest the client claims is checked against the bytes, and the known answer passes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void monolithicUploadUnderTheKnownAnswer(String name, byte[] message, String expected) {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        ManualClock clock = new ManualClock();
        Registry r = new Registry(new InMemoryMetadataStore(), blobs, new InMemoryUploadStore(blobs, clock),
                RegistryLimits.defaults(), clock);
        Digest known = Digest.parse("sha256:" + expected);
        assertThat(r.uploads().putMonolithic(repo, OWNER, known, (long) message.length, chunked(message))).isEqualTo(known);
        assertThat(r.blobs().stat(repo, known)).isEqualTo(message.length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Chunks of 1, 63, 64, 65, 1000, 1, 63, … bytes: across, at and inside SHA-256's 64-byte blocks. */
    private static BodySource chunked(byte[] message) {
        int[] sizes = {1, 63, 64, 65, 1000};
        return new BodySource() {
            private int offset;
            private int next;

            @Override
            public ByteBuffer next() {
                if (offset == message.length) {
                    return null;
                }
                int n = Math.min(sizes[next++ % sizes.length], message.length - offset);
                ByteBuffer chunk = ByteBuffer.wrap(message, offset, n).slice();
                offset += n;
                return chunk;
            }
        };
    }

    private static final class Sink implements WritableByteChannel {
        long written;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            written += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
