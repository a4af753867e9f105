package io.wharf.server.auth;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Server secrets under {@code <data>/keys/}: random keys created on first use, readable by the owner
 * only (directory 0700, files 0600), so that they never exist with wider permissions even briefly.
 */
public final class KeyFiles {
    public static final String DIRECTORY = "keys";
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    /** The key in {@code <dataDir>/keys/<name>}, created with {@code length} random bytes if absent. */
    public static byte[] loadOrCreate(Path dataDir, String name, int length, SecureRandom random) throws IOException {
        Path file = directory(dataDir).resolve(name);
        if (!Files.exists(file)) {
            byte[] key = new byte[length];
            random.nextBytes(key);
            try {
                writePrivate(file, key);
            } catch (FileAlreadyExistsException e) {
                // another process (a concurrent `wharf iam`) created it first: use theirs
            }
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != length) {
            throw new IOException(file + " holds " + key.length + " bytes, expected " + length
                    + "; it is damaged or not a Wharf key");
        }
        return key;
    }

    /**
     * Writes {@code bytes} to a new file readable by the owner only; the file is complete when it
     * appears under its name (temp file, fsync, atomic rename).
     *
     * @throws FileAlreadyExistsException when the file exists
     */
    public static void writePrivate(Path file, byte[] bytes) throws IOException {
        Path temp = privateTemp(file, bytes);
        try {
            Files.createLink(file, temp); // fails instead of replacing when the file exists
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Like {@link #writePrivate} but replaces an existing file. */
    public static void replacePrivate(Path file, byte[] bytes) throws IOException {
        Path temp = privateTemp(file, bytes);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path privateTemp(Path file, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(FILE_MODE));
        try {
            Files.write(temp, bytes, StandardOpenOption.SYNC);
            return temp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    private static Path directory(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(DIRECTORY);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dataDir);
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } catch (FileAlreadyExistsException e) {
                // created concurrently
            }
        }
        return dir;
    }
}
