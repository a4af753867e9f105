package io.wharf.storage.fs;

import io.wharf.core.error.StorageFullException;
import io.wharf.storage.StorageFailures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a full file system among I/O failures, so that clients hear "storage full" instead of a bare
 * internal error. The JDK reports ENOSPC and EDQUOT only as message text (which follows the C library's
 * locale), so the file system's own usable space decides as well.
 */
final class NoSpace {
    /** Below this much usable space a failed write is taken for a full disk. */
    static final long MARGIN = 1 << 20;

    private NoSpace() {
    }

    /** Throws {@link StorageFullException} (caused by {@code e}) when {@code e} came from a full file system under {@code dir}. */
    static void check(IOException e, Path dir, String what) {
        if (isFull(e, dir)) {
            StorageFullException full = new StorageFullException("storage full: no space left to " + what, null);
            full.initCause(e);
            throw StorageFailures.report(full);
        }
    }

    private static boolean isFull(IOException e, Path dir) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
            return true;
        }
        try {
            return Files.getFileStore(dir).getUsableSpace() < MARGIN;
        } catch (IOException unknown) {
            return false;
        }
    }
}
