package io.wharf.bench;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.UploadStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An upload store that counts bytes and keeps none: isolates the domain's streaming work from disk I/O. */
final class DiscardingUploadStore implements UploadStore {
    private final Map<String, long[]> lengths = new ConcurrentHashMap<>();

    @Override
    public void create(String uploadId) {
        lengths.put(uploadId, new long[1]);
    }

    @Override
    public WritableByteChannel append(String uploadId, long offset) throws IOException {
        long[] length = lengths.get(uploadId);
        if (length == null) {
            throw new NoSuchFileException(uploadId);
        }
        length[0] = offset;
        return new WritableByteChannel() {
            private boolean open = true;

            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                src.position(src.limit());
                length[0] += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }

    @Override
    public long length(String uploadId) throws IOException {
        long[] length = lengths.get(uploadId);
        if (length == null) {
            throw new NoSuchFileException(uploadId);
        }
        return length[0];
    }

    @Override
    public ReadableByteChannel read(String uploadId) throws IOException {
        throw new IOException("the discarding store keeps no bytes");
    }

    @Override
    public void commit(String uploadId, long length, Digest digest) {
        lengths.remove(uploadId);
    }

    @Override
    public void delete(String uploadId) {
        lengths.remove(uploadId);
    }

    @Override
    public Instant lastModified(String uploadId) throws IOException {
        length(uploadId);
        return Instant.now();
    }

    @Override
    public List<String> list() {
        return List.copyOf(lengths.keySet());
    }
}
