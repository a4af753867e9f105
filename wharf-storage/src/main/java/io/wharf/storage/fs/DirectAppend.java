package io.wharf.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * Writes a new upload past the page cache: direct buffers of whole blocks, aligned in memory and in the file, go
 * through an O_DIRECT channel (the device reads them from our memory); from the first piece that is not, everything
 * goes through the page cache (a blob's last piece). The kernel keeps the two coherent; the commit's {@code fsync}
 * makes both durable. Filling fresh page cache cost a pull-through first pull more CPU than hashing its bytes.
 */
final class DirectAppend implements WritableByteChannel {
    private final FileChannel direct;
    private final FileChannel buffered;
    private final Path dir;
    private final long block;
    private long position;
    private boolean aligned = true;

    /**
     * @param dir   where the file lives, to tell a full file system from other write failures
     * @param block the alignment direct I/O needs there (the file store's block size)
     */
    DirectAppend(FileChannel direct, FileChannel buffered, Path dir, long block) {
        this.direct = direct;
        this.buffered = buffered;
        this.dir = dir;
        this.block = block;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        aligned &= src.isDirect() && n % block == 0 && src.alignmentOffset(src.position(), (int) block) == 0;
        FileChannel to = aligned ? direct : buffered;
        try {
            while (src.hasRemaining()) {
                position += to.write(src, position);
            }
        } catch (IOException e) {
            NoSpace.check(e, dir, "store the upload");
            throw e;
        }
        return n;
    }

    /** Whether every piece so far went past the page cache. */
    boolean direct() {
        return aligned;
    }

    @Override
    public boolean isOpen() {
        return direct.isOpen();
    }

    @Override
    public void close() throws IOException {
        try (direct; buffered) {
            // both closed, the first failure reported
        }
    }
}
