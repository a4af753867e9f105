package io.wharf.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * Writes to a file and, every {@code step} bytes, starts writing the dirty pages back to disk on a
 * virtual thread while the upload goes on. The kernel would otherwise hold a whole upload in the page
 * cache (its background writeback starts at 10% of RAM) and the commit's {@code fsync} would then
 * write all of it while the client waits; this way the disk works while the network does. Nothing is
 * promised by it: durability still comes from the commit's own {@code fsync}.
 */
final class EarlyWriteback implements WritableByteChannel {
    private final FileChannel channel;
    private final long step;
    private final Path dir;
    private long unflushed;
    private Thread flusher;
    private int flushes;

    /** @param dir where the file lives, to tell a full file system from other write failures */
    EarlyWriteback(FileChannel channel, long step, Path dir) {
        this.channel = channel;
        this.step = step;
        this.dir = dir;
    }

    /** @throws io.wharf.core.error.StorageFullException when the file system is full */
    @Override
    public int write(ByteBuffer src) throws IOException {
        int n;
        try {
            n = channel.write(src);
        } catch (IOException e) {
            NoSpace.check(e, dir, "store the upload");
            throw e;
        }
        unflushed += n;
        if (unflushed >= step && (flusher == null || !flusher.isAlive())) {
            unflushed = 0;
            flushes++;
            flusher = Thread.ofVirtual().name("wharf-writeback").start(this::flush);
        }
        return n;
    }

    private void flush() {
        try {
            channel.force(false);
        } catch (IOException e) {
            // only a head start: the commit syncs and reports for real
        }
    }

    /** Flushes started so far. */
    int flushes() {
        return flushes;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Waits for a running flush (at most one step's worth of writing) so it never races the close. */
    @Override
    public void close() throws IOException {
        try {
            if (flusher != null) {
                flusher.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            channel.close();
        }
    }
}
