package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of {@link BlobStore} and {@link UploadStore}, tested together because blobs only
 * enter through {@link UploadStore#commit}. Every backend extends this with a factory.
 */
public abstract class BlobStoreContract {

    /** A blob store and the upload store that commits into it. */
    public record Stores(BlobStore blobs, UploadStore uploads) {
    }

    protected abstract Stores createStores() throws Exception;

    protected BlobStore blobs;
    protected UploadStore uploads;

    @BeforeEach
    void setUpStores() throws Exception {
        Stores stores = createStores();
        blobs = stores.blobs();
        uploads = stores.uploads();
    }

    // ---- uploads

    @Test
    void createdUploadIsEmptyAndListed() throws IOException {
        String id = newId();
        uploads.create(id);
        assertThat(uploads.length(id)).isZero();
        assertThat(read(uploads.read(id))).isEmpty();
        assertThat(uploads.list()).containsExactly(id);
    }

    @Test
    void creatingAnExistingUploadFails() throws IOException {
        String id = newId();
        uploads.create(id);
        assertThatThrownBy(() -> uploads.create(id)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void appendedChunksAreStoredInOrder() throws IOException {
        String id = newId();
        uploads.create(id);
        append(id, 0, "hello ");
        append(id, 6, "world");
        assertThat(uploads.length(id)).isEqualTo(11);
        assertThat(text(read(uploads.read(id)))).isEqualTo("hello world");
    }

    @Test
    void appendAtAnOffsetDiscardsUnacknowledgedBytes() throws IOException {
        String id = newId();
        uploads.create(id);
        append(id, 0, "0123456789");
        append(id, 4, "ab");
        assertThat(uploads.length(id)).isEqualTo(6);
        assertThat(text(read(uploads.read(id)))).isEqualTo("0123ab");
    }

    @Test
    void appendWithoutWritingStillTruncates() throws IOException {
        String id = newId();
        uploads.create(id);
        append(id, 0, "0123456789");
        uploads.append(id, 3).close();
        assertThat(text(read(uploads.read(id)))).isEqualTo("012");
    }

    @Test
    void appendPastTheStoredBytesFails() throws IOException {
        String id = newId();
        uploads.create(id);
        append(id, 0, "abc");
        // a gap would silently corrupt the blob: stored bytes and acknowledged offset disagree
        assertThatThrownBy(() -> uploads.append(id, 4)).isInstanceOf(IOException.class);
        assertThat(text(read(uploads.read(id)))).isEqualTo("abc");
    }

    @Test
    void missingUploadsReportNoSuchFile() {
        String id = newId();
        assertThatThrownBy(() -> uploads.append(id, 0)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> uploads.length(id)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> uploads.read(id)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> uploads.commit(id, 0, digestOf(new byte[0]))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void deleteRemovesAnUploadAndIgnoresMissingOnes() throws IOException {
        String id = newId();
        uploads.create(id);
        append(id, 0, "data");
        uploads.delete(id);
        uploads.delete(id);
        uploads.delete(newId());
        assertThat(uploads.list()).doesNotContain(id);
        assertThatThrownBy(() -> uploads.length(id)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void listReturnsEveryUpload() throws IOException {
        List<String> ids = List.of(newId(), newId(), newId());
        for (String id : ids) {
            uploads.create(id);
        }
        assertThat(uploads.list()).containsExactlyInAnyOrderElementsOf(ids);
    }

    static Stream<String> unsafeIds() {
        return Stream.of("", ".", "..", "../x", "a/b", "a\\b", "/abs", "a b", "a.b", "a:b", "a\u0000b", "a".repeat(65));
    }

    @Test
    void uploadIdsOfUpTo64SafeCharactersAreAccepted() throws IOException {
        String id = "Az09_-" + "x".repeat(58);
        uploads.create(id);
        assertThat(uploads.list()).containsExactly(id);
    }

    @ParameterizedTest
    @MethodSource("unsafeIds")
    void unsafeUploadIdsAreRejected(String id) {
        assertThatThrownBy(() -> uploads.create(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uploads.append(id, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uploads.length(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uploads.read(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uploads.delete(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uploads.commit(id, 0, digestOf(new byte[0]))).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- commit and blobs

    @Test
    void commitTurnsTheUploadIntoABlob() throws IOException {
        byte[] content = bytes("layer bytes");
        Digest digest = upload(content);
        assertThat(blobs.size(digest)).hasValue(content.length);
        assertThat(readBlob(digest)).isEqualTo(content);
        assertThat(uploads.list()).isEmpty();
    }

    @Test
    void commitRemovesTheUpload() throws IOException {
        String id = newId();
        uploads.create(id);
        append(id, 0, "abc");
        uploads.commit(id, 3, digestOf(bytes("abc")));
        assertThatThrownBy(() -> uploads.length(id)).isInstanceOf(NoSuchFileException.class);
        assertThat(uploads.list()).doesNotContain(id);
    }

    @Test
    void commitOfAnEmptyUploadMakesAnEmptyBlob() throws IOException {
        Digest digest = upload(new byte[0]);
        assertThat(blobs.size(digest)).hasValue(0);
        assertThat(readBlob(digest)).isEmpty();
    }

    @Test
    void commitWithAShorterLengthKeepsOnlyThatPrefix() throws IOException {
        String id = newId();
        uploads.create(id);
        append(id, 0, "0123456789");
        Digest digest = digestOf(bytes("012345"));
        uploads.commit(id, 6, digest);
        assertThat(text(readBlob(digest))).isEqualTo("012345");
        assertThat(blobs.size(digest)).hasValue(6);
    }

    @Test
    void commitWithALengthBeyondTheStoredBytesFails() throws IOException {
        String id = newId();
        uploads.create(id);
        append(id, 0, "abc");
        Digest digest = digestOf(bytes("abcd"));
        assertThatThrownBy(() -> uploads.commit(id, 4, digest)).isInstanceOf(IOException.class);
        assertThat(blobs.size(digest)).isEmpty();
        assertThat(uploads.length(id)).isEqualTo(3);
    }

    @Test
    void commitOfAnExistingBlobDropsTheUpload() throws IOException {
        byte[] content = bytes("same bytes twice");
        Digest digest = upload(content);
        String id = newId();
        uploads.create(id);
        append(id, 0, "same bytes twice");
        uploads.commit(id, content.length, digest);
        assertThat(readBlob(digest)).isEqualTo(content);
        assertThat(uploads.list()).isEmpty();
    }

    @Test
    void aQuarantinedBlobReadsAsAbsentUntilUploadedAgain() throws IOException {
        byte[] content = bytes("set aside");
        Digest digest = upload(content);
        blobs.quarantine(digest);
        blobs.quarantine(digest); // already gone: not an error
        assertThat(blobs.size(digest)).isEmpty();
        assertThatThrownBy(() -> blobs.open(digest)).isInstanceOf(NoSuchFileException.class);
        upload(content);
        assertThat(readBlob(digest)).isEqualTo(content);
    }

    @Test
    void openOfAMissingBlobReportsNoSuchFile() throws IOException {
        Digest digest = digestOf(bytes("never stored"));
        assertThat(blobs.size(digest)).isEmpty();
        assertThatThrownBy(() -> blobs.open(digest)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void openedBlobIsSeekable() throws IOException {
        Digest digest = upload(bytes("0123456789"));
        try (SeekableByteChannel channel = blobs.open(digest)) {
            assertThat(channel.size()).isEqualTo(10);
            channel.position(7);
            ByteBuffer buffer = ByteBuffer.allocate(10);
            assertThat(channel.read(buffer)).isEqualTo(3);
            assertThat(text(java.util.Arrays.copyOf(buffer.array(), 3))).isEqualTo("789");
            assertThat(channel.read(buffer.clear())).isEqualTo(-1);
        }
    }

    @Test
    void deleteRemovesABlobAndIgnoresMissingOnes() throws IOException {
        Digest digest = upload(bytes("garbage"));
        blobs.delete(digest);
        blobs.delete(digest);
        assertThat(blobs.size(digest)).isEmpty();
        assertThatThrownBy(() -> blobs.open(digest)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aDeletedBlobCanBeUploadedAgain() throws IOException {
        byte[] content = bytes("comes back");
        Digest digest = upload(content);
        blobs.delete(digest);
        upload(content);
        assertThat(readBlob(digest)).isEqualTo(content);
    }

    @Test
    void listPagesStoredBlobsInDigestOrderWithSizes() throws IOException {
        List<Digest> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.add(upload(bytes("listed blob " + i + "x".repeat(i))));
        }
        List<Digest> sorted = stored.stream().sorted().toList();
        List<BlobStore.BlobFile> first = blobs.list(null, 3);
        assertThat(first).extracting(BlobStore.BlobFile::digest).containsExactlyElementsOf(sorted.subList(0, 3));
        assertThat(blobs.list(first.getLast().digest(), 3)).extracting(BlobStore.BlobFile::digest)
                .containsExactlyElementsOf(sorted.subList(3, 5));
        assertThat(blobs.list(sorted.getLast(), 3)).isEmpty();
        for (BlobStore.BlobFile f : blobs.list(null, 10)) {
            assertThat(f.size()).isEqualTo(blobs.size(f.digest()).orElseThrow());
            assertThat(f.lastModified()).isNotNull();
        }
        blobs.delete(sorted.get(1));
        assertThat(blobs.list(null, 10)).hasSize(4);
    }

    @Test
    void concurrentUploadsDoNotInterfere() throws Exception {
        int threads = 8;
        int perThread = 10;
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> uploadMany(thread, perThread)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                byte[] content = contentFor(t, i);
                assertThat(readBlob(digestOf(content))).isEqualTo(content);
            }
        }
        assertThat(uploads.list()).isEmpty();
    }

    /** Uploads in three chunks; odd items have the same bytes in every thread, to race dedup. */
    private Void uploadMany(int thread, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            byte[] content = contentFor(thread, i);
            String id = newId();
            uploads.create(id);
            int third = content.length / 3;
            appendBytes(id, 0, java.util.Arrays.copyOfRange(content, 0, third));
            appendBytes(id, third, java.util.Arrays.copyOfRange(content, third, 2 * third));
            appendBytes(id, 2 * third, java.util.Arrays.copyOfRange(content, 2 * third, content.length));
            uploads.commit(id, content.length, digestOf(content));
        }
        return null;
    }

    private static byte[] contentFor(int thread, int i) {
        String owner = i % 2 == 1 ? "shared" : "thread-" + thread;
        return bytes((owner + "/" + i + ";").repeat(1000 + i * 37));
    }

    // ---- helpers

    protected static String newId() {
        return UUID.randomUUID().toString();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    protected static Digest digestOf(byte[] content) {
        return Digest.sha256Of(content);
    }

    /** Creates, appends and commits {@code content} as one upload; returns its digest. */
    protected Digest upload(byte[] content) throws IOException {
        String id = newId();
        uploads.create(id);
        appendBytes(id, 0, content);
        Digest digest = digestOf(content);
        uploads.commit(id, content.length, digest);
        return digest;
    }

    protected void append(String id, long offset, String s) throws IOException {
        appendBytes(id, offset, bytes(s));
    }

    protected void appendBytes(String id, long offset, byte[] content) throws IOException {
        try (WritableByteChannel channel = uploads.append(id, offset)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    protected byte[] readBlob(Digest digest) throws IOException {
        return read(blobs.open(digest));
    }

    protected static byte[] read(ReadableByteChannel channel) throws IOException {
        try (channel; var in = Channels.newInputStream(channel)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
