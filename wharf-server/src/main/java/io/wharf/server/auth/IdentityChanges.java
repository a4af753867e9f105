package io.wharf.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How {@code wharf iam} — always another process — tells a server running on the same data directory
 * that identities changed: it replaces {@code <data>/keys/identities-changed} after each run, and the
 * server drops its cached identity policies as soon as that file's (inode, modification time) differs
 * from what it saw last. One {@code stat} per check; a new file each time, so two changes within one
 * tick of the file system's clock still differ. A cluster's nodes share no directory: there the database
 * tells them ({@link #watching}).
 */
public final class IdentityChanges {
    static final String FILE = "identities-changed";

    private final Path file;
    private volatile Object seen;

    public IdentityChanges(Path data) {
        this.file = data.resolve(KeyFiles.DIRECTORY).resolve(FILE);
        this.seen = stamp();
    }

    /**
     * Changes signalled by a number that moves with every identity change (a shared database's notifications):
     * true when it differs from what the previous call saw.
     */
    public static BooleanSupplier watching(LongSupplier version) {
        AtomicLong seen = new AtomicLong(version.getAsLong());
        return () -> {
            long now = version.getAsLong();
            return seen.getAndSet(now) != now;
        };
    }

    /** Marks a change (the keys directory exists once identities were opened). */
    public void touch() throws IOException {
        Path temp = Files.createTempFile(file.getParent(), FILE, ".tmp");
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** True when a change was marked since the previous call. */
    boolean changedSinceLastCheck() {
        Object now = stamp();
        if (Objects.equals(now, seen)) {
            return false;
        }
        seen = now;
        return true;
    }

    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime());
        } catch (IOException e) {
            return null; // no change marked yet
        }
    }
}
