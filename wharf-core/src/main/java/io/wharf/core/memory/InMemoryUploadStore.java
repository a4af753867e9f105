package io.wharf.core.memory;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.UploadStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Upload bytes held on the heap; {@link #commit} moves them into the {@link InMemoryBlobStore} it
 * was built with. Validates upload ids exactly like the filesystem store so tests catch bad ids.
 */
public final class InMemoryUploadStore implements UploadStore {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final InMemoryBlobStore blobs;
    private final Clock clock;
    private final Map<String, Buffer> uploads = new ConcurrentHashMap<>();

    public InMemoryUploadStore(InMemoryBlobStore blobs) {
        this(blobs, Clock.systemUTC());
    }

    /** @param clock stamps {@link #lastModified} */
    public InMemoryUploadStore(InMemoryBlobStore blobs, Clock clock) {
        this.blobs = blobs;
        this.clock = clock;
    }

    @Override
    public void create(String uploadId) throws FileAlreadyExistsException {
        if (uploads.putIfAbsent(checkId(uploadId), new Buffer(clock)) != null) {
            throw new FileAlreadyExistsException(uploadId);
        }
    }

    @Override
    public WritableByteChannel append(String uploadId, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        Buffer buffer = get(uploadId);
        buffer.truncate(offset);
        return new AppendChannel(buffer);
    }

    @Override
    public long length(String uploadId) throws NoSuchFileException {
        return get(uploadId).length();
    }

    @Override
    public ReadableByteChannel read(String uploadId) throws NoSuchFileException {
        return Channels.newChannel(new ByteArrayInputStream(get(uploadId).copy(Long.MAX_VALUE)));
    }

    @Override
    public Instant lastModified(String uploadId) throws NoSuchFileException {
        return get(uploadId).modified();
    }

    @Override
    public void commit(String uploadId, long length, Digest digest) throws IOException {
        Buffer buffer = get(uploadId);
        if (length < 0 || length > buffer.length()) {
            throw new IOException("upload " + uploadId + " holds " + buffer.length() + " bytes, cannot commit " + length);
        }
        blobs.put(digest, buffer.copy(length));
        uploads.remove(uploadId);
    }

    @Override
    public void delete(String uploadId) {
        uploads.remove(checkId(uploadId));
    }

    @Override
    public List<String> list() {
        return uploads.keySet().stream().sorted().toList();
    }

    private Buffer get(String uploadId) throws NoSuchFileException {
        Buffer buffer = uploads.get(checkId(uploadId));
        if (buffer == null) {
            throw new NoSuchFileException(uploadId);
        }
        return buffer;
    }

    private static String checkId(String uploadId) {
        if (uploadId == null || !SAFE_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("unsafe upload id: " + uploadId);
        }
        return uploadId;
    }

    /** A growable byte array; the lock keeps length and contents consistent for readers. */
    private static final class Buffer {
        private final Clock clock;
        private byte[] data = new byte[256];
        private int length;
        private Instant modified;

        Buffer(Clock clock) {
            this.clock = clock;
            this.modified = clock.instant();
        }

        synchronized Instant modified() {
            return modified;
        }

        synchronized long length() {
            return length;
        }

        synchronized void truncate(long offset) throws IOException {
            if (offset > length) {
                throw new IOException("upload holds " + length + " bytes, cannot append at " + offset);
            }
            length = (int) offset;
            modified = clock.instant();
        }

        synchronized int write(ByteBuffer src) {
            int n = src.remaining();
            if (length + n > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, length + n));
            }
            src.get(data, length, n);
            length += n;
            modified = clock.instant();
            return n;
        }

        synchronized byte[] copy(long max) {
            return Arrays.copyOf(data, (int) Math.min(max, length));
        }
    }

    /** Writes straight into the buffer: heap memory has nothing to make durable on close. */
    private static final class AppendChannel implements WritableByteChannel {
        private final Buffer buffer;
        private volatile boolean open = true;

        AppendChannel(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int write(ByteBuffer src) throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
            return buffer.write(src);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
