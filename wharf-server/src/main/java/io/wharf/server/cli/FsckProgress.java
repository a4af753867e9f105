package io.wharf.server.cli;

import io.wharf.core.service.BlobScrub;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The progress of {@code wharf fsck}'s blob pass on standard error: on a terminal one line that updates in
 * place (blobs, bytes, bytes per second), otherwise a plain line every ten seconds, for logs.
 */
final class FsckProgress implements BlobScrub.Progress {
    private static final long TERMINAL_EVERY = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long LOG_EVERY = TimeUnit.SECONDS.toNanos(10);

    private final PrintWriter err;
    private final boolean terminal;
    private final long totalBlobs;
    private final long totalBytes;
    private final long start = System.nanoTime();
    private long last = start;
    private long blobs;
    private long bytes;

    FsckProgress(PrintWriter err, boolean terminal, long totalBlobs, long totalBytes) {
        this.err = err;
        this.terminal = terminal;
        this.totalBlobs = totalBlobs;
        this.totalBytes = totalBytes;
    }

    /** Whether standard error is a terminal one can redraw a line on. */
    static boolean onTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    @Override
    public void advanced(long blobs, long bytes) {
        this.blobs = blobs;
        this.bytes = bytes;
        long now = System.nanoTime();
        if (now - last >= (terminal ? TERMINAL_EVERY : LOG_EVERY)) {
            last = now;
            show(false);
        }
    }

    /** The final figures (on a terminal, the line is finished). */
    void done() {
        show(true);
    }

    private void show(boolean last) {
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        String line = String.format(Locale.ROOT, "wharf fsck: blobs %d/%d, %s/%s, %s/s", blobs, totalBlobs,
                Sizes.human(bytes), Sizes.human(totalBytes), Sizes.human((long) (bytes / seconds)));
        if (terminal) {
            err.print("\r" + line + "   " + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }
}
