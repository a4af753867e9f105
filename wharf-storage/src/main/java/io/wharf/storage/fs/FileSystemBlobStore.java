package io.wharf.storage.fs;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Content-addressed blobs in a data directory: {@code <dataDir>/blobs/<algorithm>/<first two hex>/<hex>}.
 * The two-character shard keeps directories small enough for fast lookups on every filesystem.
 * A file at its final path is always complete: {@link FileSystemUploadStore#commit} only ever
 * renames a synced file there. A file found damaged later is moved to {@code quarantine/}.
 */
public final class FileSystemBlobStore implements BlobStore {

    private final Path dataDir;
    private final Path blobsDir;
    private final Path quarantineDir;

    /** Opens (creating if needed) the blob tree under {@code dataDir}. */
    public FileSystemBlobStore(Path dataDir) throws IOException {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.blobsDir = this.dataDir.resolve("blobs");
        this.quarantineDir = this.dataDir.resolve("quarantine");
        Files.createDirectories(blobsDir);
    }

    @Override
    public OptionalLong size(Digest digest) throws IOException {
        try {
            return OptionalLong.of(Files.size(pathOf(digest)));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    /** Returns a {@link FileChannel}, so the server can use {@code transferTo} (sendfile). */
    @Override
    public FileChannel open(Digest digest) throws IOException {
        return FileChannel.open(pathOf(digest), StandardOpenOption.READ);
    }

    @Override
    public void delete(Digest digest) throws IOException {
        // no directory sync: a blob that reappears after a crash is simply collected again
        Files.deleteIfExists(pathOf(digest));
    }

    /**
     * Moves the file to {@code <dataDir>/quarantine/<algorithm>-<hex>.<epoch ms>} for inspection (an
     * operator deletes it). No directory sync: a damaged file that reappears after a crash is found again.
     */
    @Override
    public void quarantine(Digest digest) throws IOException {
        Path target = quarantineDir.resolve(digest.algorithm().prefix() + "-" + digest.hex() + "." + System.currentTimeMillis());
        Files.createDirectories(quarantineDir);
        try {
            Files.move(pathOf(digest), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // already gone: nothing left to set aside
        }
    }

    /** Every file in the blob tree, for {@code wharf fsck}: those not named like a blob are reported as strays. */
    public Stream<Path> files() throws IOException {
        return Files.walk(blobsDir).filter(Files::isRegularFile);
    }

    /** The digest a blob-tree file stands for, when it sits where that blob would; else empty. */
    public Optional<Digest> digestAt(Path file) {
        try {
            Digest d = Digest.parse(file.getParent().getParent().getFileName() + ":" + file.getFileName());
            return pathOf(d).equals(file) ? Optional.of(d) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Files set aside by {@link #quarantine}. */
    public Path quarantineDir() {
        return quarantineDir;
    }

    /** Where a blob lives; the digest was validated on parsing, so the path cannot escape. */
    Path pathOf(Digest digest) {
        String hex = digest.hex();
        return blobsDir.resolve(digest.algorithm().prefix()).resolve(hex.substring(0, 2)).resolve(hex);
    }

    Path dataDir() {
        return dataDir;
    }
}
