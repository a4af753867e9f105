package io.wharf.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Durability helpers: a rename or a new file is only durable once its directory is synced. */
final class Fsync {

    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private Fsync() {
    }

    /** Flushes a directory's entries (new, renamed or removed files) to disk. */
    static void directory(Path dir) throws IOException {
        if (WINDOWS) {
            return; // NTFS cannot open a directory as a channel; its metadata journal covers renames
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
