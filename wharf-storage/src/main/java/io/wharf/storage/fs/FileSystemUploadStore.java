package io.wharf.storage.fs;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.UploadStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Upload bytes as one file per upload under {@code <dataDir>/uploads/<id>}, on the same filesystem
 * as the blobs so that commit is a rename, not a copy.
 *
 * <p>Durability: bytes written through {@link #append} sit in the page cache, which survives a
 * process kill; they are synced once, at {@link #commit}, before the rename makes them a blob (their
 * writeback starts earlier, see {@link EarlyWriteback}, so that sync finds little left to do). A
 * chunk is not synced on its own: that cost one {@code fdatasync} per chunk on every push, to save
 * only an unfinished upload from a power loss. After one, a session whose file is shorter than its
 * recorded offset is reported gone and the client starts that blob again; no blob is ever affected.
 */
public final class FileSystemUploadStore implements UploadStore {

    /** Ids become file names: no separators, no dots, nothing a path could escape with. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** How much of an upload may wait in the page cache before its writeback starts. */
    private static final long WRITEBACK_STEP = 32L << 20;

    private final FileSystemBlobStore blobs;
    private final Path uploadsDir;

    /** Keeps uploads in {@code <dataDir>/uploads} beside the blob tree of {@code blobs}. */
    public FileSystemUploadStore(FileSystemBlobStore blobs) throws IOException {
        this.blobs = blobs;
        this.uploadsDir = blobs.dataDir().resolve("uploads");
        Files.createDirectories(uploadsDir);
    }

    @Override
    public void create(String uploadId) throws IOException {
        try {
            Files.createFile(pathOf(uploadId));
            Fsync.directory(uploadsDir);
        } catch (IOException e) {
            NoSpace.check(e, uploadsDir, "start an upload");
            throw e;
        }
    }

    @Override
    public WritableByteChannel append(String uploadId, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        FileChannel channel = FileChannel.open(pathOf(uploadId), StandardOpenOption.WRITE);
        try {
            long stored = channel.size();
            if (offset > stored) {
                throw new IOException("upload " + uploadId + " holds " + stored + " bytes, cannot append at " + offset);
            }
            channel.truncate(offset);
            channel.position(offset);
            return new EarlyWriteback(channel, WRITEBACK_STEP, uploadsDir);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public long length(String uploadId) throws IOException {
        return Files.size(pathOf(uploadId));
    }

    @Override
    public ReadableByteChannel read(String uploadId) throws IOException {
        return FileChannel.open(pathOf(uploadId), StandardOpenOption.READ);
    }

    /**
     * Truncates the upload to {@code length}, syncs it, renames it to the blob path and syncs the
     * blob's directory: the blob path only ever names a complete file, even after a crash. An existing
     * blob is replaced, never kept: these bytes were just verified, the stored ones may have been damaged
     * since (a flipped bit keeps the size), and a push is how a damaged blob gets repaired. Readers of the
     * old file keep reading it: a rename does not disturb open files.
     */
    @Override
    public void commit(String uploadId, long length, Digest digest) throws IOException {
        try {
            moveToBlob(uploadId, length, digest);
        } catch (IOException e) {
            NoSpace.check(e, uploadsDir, "store the blob");
            throw e;
        }
    }

    private void moveToBlob(String uploadId, long length, Digest digest) throws IOException {
        Path upload = pathOf(uploadId);
        Path target = blobs.pathOf(digest);
        try (FileChannel channel = FileChannel.open(upload, StandardOpenOption.WRITE)) {
            long stored = channel.size();
            if (length < 0 || length > stored) {
                throw new IOException("upload " + uploadId + " holds " + stored + " bytes, cannot commit " + length);
            }
            channel.truncate(length);
            channel.force(true);
        }
        ensureDirectory(target.getParent());
        // POSIX rename replaces atomically; concurrent commits of one digest carry identical bytes
        Files.move(upload, target, StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(target.getParent());
    }

    @Override
    public void delete(String uploadId) throws IOException {
        Files.deleteIfExists(pathOf(uploadId));
    }

    @Override
    public Instant lastModified(String uploadId) throws IOException {
        return Files.getLastModifiedTime(pathOf(uploadId)).toInstant();
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> files = Files.list(uploadsDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> SAFE_ID.matcher(name).matches())
                    .sorted()
                    .toList();
        }
    }

    /** Creates a shard directory durably: its own entry lives in the parent, which must be synced too. */
    private static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        Fsync.directory(dir.getParent());
        Fsync.directory(dir.getParent().getParent());
    }

    private Path pathOf(String uploadId) {
        if (uploadId == null || !SAFE_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("unsafe upload id: " + uploadId);
        }
        return uploadsDir.resolve(uploadId);
    }
}
