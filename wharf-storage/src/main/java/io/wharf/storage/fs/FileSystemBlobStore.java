package io.wharf.storage.fs;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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

    /** Walks algorithm, shard and file names in order, each directory listed once per page. */
    @Override
    public List<BlobFile> list(Digest after, int limit) throws IOException {
        List<BlobFile> out = new ArrayList<>();
        List<Digest.Algorithm> algorithms = Arrays.stream(Digest.Algorithm.values())
                .sorted(Comparator.comparing(Digest.Algorithm::prefix)).toList();
        for (Digest.Algorithm algorithm : algorithms) {
            Path dir = blobsDir.resolve(algorithm.prefix());
            for (String shard : sortedNames(dir)) {
                if (after == null || shard.compareTo(shardOf(after, algorithm)) >= 0) {
                    listShard(dir.resolve(shard), after, limit, out);
                }
                if (out.size() == limit) {
                    return out;
                }
            }
        }
        return out;
    }

    /** The shard to start from in {@code algorithm}'s tree: {@code after}'s own, or the first or past the last. */
    private static String shardOf(Digest after, Digest.Algorithm algorithm) {
        int order = algorithm.prefix().compareTo(after.algorithm().prefix());
        return order == 0 ? after.hex().substring(0, 2) : order < 0 ? "~" : "";
    }

    private void listShard(Path shard, Digest after, int limit, List<BlobFile> out) throws IOException {
        for (String name : sortedNames(shard)) {
            Path file = shard.resolve(name);
            Optional<Digest> digest = digestAt(file);
            if (digest.isEmpty() || after != null && digest.get().compareTo(after) <= 0) {
                continue;
            }
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                out.add(new BlobFile(digest.get(), attrs.size(), attrs.lastModifiedTime().toInstant()));
            } catch (NoSuchFileException e) {
                continue; // deleted while listed
            }
            if (out.size() == limit) {
                return;
            }
        }
    }

    private static List<String> sortedNames(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of(); // gone, or a stray file where a directory would be
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
