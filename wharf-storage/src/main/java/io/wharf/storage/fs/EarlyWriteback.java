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
    /**
     * The largest write handed to the kernel. A larger one makes it take a large page-cache folio per write; on a VM
     * whose free memory went back to the host (free page reporting), first touching such a folio costs a host fault
     * per page: measured on the project's Firecracker VM, 1 GiB in 1 MiB writes took 1.4-2.6 s of system time
     * after an idle pause, in 128 KiB writes 0.25-0.38 s (bench/results/2026-12-04-3ca58f6-pull-through-side-by-side.md).
     */
    static final int MAX_WRITE = 128 << 10;
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

    /**
     * Writes all of {@code src}, at most {@value #MAX_WRITE} bytes per system call.
     *
     * @throws io.wharf.core.error.StorageFullException when the file system is full
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        int limit = src.limit();
        int n = 0;
        try {
            while (src.hasRemaining()) {
                src.limit(src.position() + Math.min(src.remaining(), MAX_WRITE));
                n += channel.write(src);
                src.limit(limit);
            }
        } catch (IOException e) {
            NoSpace.check(e, dir, "store the upload");
            throw e;
        } finally {
            src.limit(limit);
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
