package io.wharf.core.memory;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobStore;
import java.nio.file.NoSuchFileException;
import java.nio.channels.SeekableByteChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** Blobs held on the heap, for unit tests of the domain services. */
public final class InMemoryBlobStore implements BlobStore {

    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<Digest, Instant> written = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryBlobStore() {
        this(Clock.systemUTC());
    }

    /** @param clock stamps each blob's {@link BlobFile#lastModified()} */
    public InMemoryBlobStore(Clock clock) {
        this.clock = clock;
    }

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
        written.remove(digest);
    }

    @Override
    public List<BlobFile> list(Digest after, int limit) {
        TreeMap<Digest, byte[]> sorted = new TreeMap<>(blobs);
        return (after == null ? sorted : sorted.tailMap(after, false)).entrySet().stream().limit(limit)
                .map(e -> new BlobFile(e.getKey(), e.getValue().length, written.get(e.getKey()))).toList();
    }

    @Override
    public void quarantine(Digest digest) {
        delete(digest);
    }

    /** Only {@link InMemoryUploadStore#commit} adds blobs, mirroring the real stores; verified bytes replace stored ones. */
    void put(Digest digest, byte[] bytes) {
        blobs.put(digest, bytes);
        written.put(digest, clock.instant());
    }
}
