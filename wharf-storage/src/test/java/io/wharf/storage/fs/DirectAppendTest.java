package io.wharf.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads written past the page cache: aligned direct pieces by O_DIRECT, a short last piece buffered. */
class DirectAppendTest {
    private static final int PIECE = 256 << 10;

    @TempDir
    Path dir;

    private static ByteBuffer alignedPiece(byte[] data, int from, int length) {
        ByteBuffer b = ByteBuffer.allocateDirect(PIECE + 4096).alignedSlice(4096).limit(PIECE).slice();
        return b.put(data, from, length).flip();
    }

    @Test
    void alignedPiecesAndAShortTailMakeTheBlob() throws Exception {
        FileSystemBlobStore blobs = new FileSystemBlobStore(dir);
        FileSystemUploadStore uploads = new FileSystemUploadStore(blobs);
        byte[] data = new byte[3 * PIECE + 1234];
        new Random(3).nextBytes(data);
        uploads.create("u1");
        try (WritableByteChannel out = uploads.appendDirect("u1")) {
            for (int at = 0; at < data.length; at += PIECE) {
                int n = Math.min(PIECE, data.length - at);
                assertThat(out.write(alignedPiece(data, at, n))).isEqualTo(n);
                if (out instanceof DirectAppend d) { // on a file system with direct I/O (not tmpfs)
                    assertThat(d.direct()).isEqualTo(n == PIECE);
                }
            }
        }
        assertThat(uploads.length("u1")).isEqualTo(data.length);
        Digest digest = Digest.sha256Of(data);
        uploads.commit("u1", data.length, digest);
        try (FileChannel blob = blobs.open(digest)) {
            ByteBuffer back = ByteBuffer.allocate(data.length + 1);
            while (blob.read(back) > 0) {
                // to the end
            }
            assertThat(Arrays.copyOf(back.array(), back.position())).isEqualTo(data);
        }
    }

    @Test
    void aHeapOrMisalignedPieceGoesThroughThePageCacheFromThenOn() throws Exception {
        FileSystemUploadStore uploads = new FileSystemUploadStore(new FileSystemBlobStore(dir));
        byte[] data = new byte[3 * 8192];
        new Random(4).nextBytes(data);
        uploads.create("u2");
        try (WritableByteChannel out = uploads.appendDirect("u2")) {
            out.write(ByteBuffer.wrap(data, 0, 8192));
            out.write(alignedPiece(data, 8192, 16384));
            if (out instanceof DirectAppend d) {
                assertThat(d.direct()).isFalse();
            }
        }
        assertThat(Files.readAllBytes(dir.resolve("uploads/u2"))).isEqualTo(data);
    }
}
