package io.wharf.storage.fs;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * Content-addressed blobs in a data directory: {@code <dataDir>/blobs/<algorithm>/<first two hex>/<hex>}.
 * The two-character shard keeps directories small enough for fast lookups on every filesystem.
 * A file at its final path is always complete: {@link FileSystemUploadStore#commit} only ever
 * renames a synced file there.
 */
public final class FileSystemBlobStore implements BlobStore {

    private final Path dataDir;
    private final Path blobsDir;

    /** Opens (creating if needed) the blob tree under {@code dataDir}. */
    public FileSystemBlobStore(Path dataDir) throws IOException {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.blobsDir = this.dataDir.resolve("blobs");
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

    /** Where a blob lives; the digest was validated on parsing, so the path cannot escape. */
    Path pathOf(Digest digest) {
        String hex = digest.hex();
        return blobsDir.resolve(digest.algorithm().prefix()).resolve(hex.substring(0, 2)).resolve(hex);
    }

    Path dataDir() {
        return dataDir;
    }
}
