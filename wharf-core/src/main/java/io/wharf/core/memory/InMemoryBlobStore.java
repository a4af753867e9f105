package io.wharf.core.memory;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobStore;
import java.nio.file.NoSuchFileException;
import java.nio.channels.SeekableByteChannel;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** Blobs held on the heap, for unit tests of the domain services. */
public final class InMemoryBlobStore implements BlobStore {

    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();

    @Override
    public OptionalLong size(Digest digest) {
        byte[] bytes = blobs.get(digest);
        return bytes == null ? OptionalLong.empty() : OptionalLong.of(bytes.length);
    }

    @Override
    public SeekableByteChannel open(Digest digest) throws NoSuchFileException {
        byte[] bytes = blobs.get(digest);
        if (bytes == null) {
            throw new NoSuchFileException(digest.toString());
        }
        return new ByteArrayChannel(bytes);
    }

    @Override
    public void delete(Digest digest) {
        blobs.remove(digest);
    }

    @Override
    public void quarantine(Digest digest) {
        blobs.remove(digest);
    }

    /** Only {@link InMemoryUploadStore#commit} adds blobs, mirroring the real stores; verified bytes replace stored ones. */
    void put(Digest digest, byte[] bytes) {
        blobs.put(digest, bytes);
    }
}
