package io.wharf.storage.s3;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.UploadStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Upload bytes as part objects {@code <prefix>uploads/<id>/<n>} of a fixed size P (part n holds bytes
 * [(n-1)·P, n·P), the last one may be shorter), with the count of bytes and each part's ETag in the metadata
 * database ({@link S3UploadRecords}): any node continues any upload, and a part, unlike a part of an unfinished S3
 * multipart upload, can be read back (for digests other than SHA-256) and rewritten from a prefix (appending at an
 * earlier offset discards what followed it).
 *
 * <p>Commit creates a multipart upload at the blob's key, copies the parts into it server-side (no byte passes
 * through the node; each copy only while the part's ETag is the one recorded) and completes it: the blob appears
 * whole or not at all, with no rename. A single whole part is copied directly; an empty blob is put.
 *
 * <p>Memory: a writer buffers up to one part, so a node holds at most P bytes per upload being written.
 */
public final class S3UploadStore implements UploadStore {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final S3Objects objects;
    private final DomainStores domains;
    private final S3UploadRecords records;
    private final long partSize;
    private final Clock clock;

    S3UploadStore(S3Objects objects, DomainStores domains, S3UploadRecords records, long partSize, Clock clock) {
        this.objects = objects;
        this.domains = domains;
        this.records = records;
        this.partSize = partSize;
        this.clock = clock;
    }

    @Override
    public void create(String uploadId) throws IOException {
        create(uploadId, null);
    }

    /** An upload whose parts and blob are written in {@code domain} (null: the plain tree). */
    void create(String uploadId, S3Domain domain) throws IOException {
        check(uploadId);
        if (!records.create(uploadId, partSize, domain, clock.instant())) {
            throw new FileAlreadyExistsException(uploadId);
        }
    }

    @Override
    public WritableByteChannel append(String uploadId, long offset) throws IOException {
        S3UploadRecords.Upload upload = find(uploadId);
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (offset > upload.length()) {
            throw new IOException("upload " + uploadId + " holds " + upload.length() + " bytes, cannot append at " + offset);
        }
        long p = upload.partSize();
        int part = (int) (offset / p) + 1; // the part the next byte goes into
        byte[] head = offset % p == 0 ? new byte[0] : readPart(upload, part, offset % p);
        if (!records.truncate(uploadId, offset, offset % p == 0 ? part - 1 : part, clock.instant())) {
            throw new NoSuchFileException(uploadId);
        }
        return new PartWriter(this, upload, part, head);
    }

    /** The first {@code length} bytes of a part, which the writer rewrites with what follows them. */
    private byte[] readPart(S3UploadRecords.Upload upload, int part, long length) throws IOException {
        try (InputStream in = objects.get(partKey(upload.id(), part), 0, length)) {
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length != length) {
                throw new IOException("part " + part + " of upload " + upload.id() + " is shorter than recorded");
            }
            return bytes;
        }
    }

    /** Writes a part object (encrypted as its domain's) and records it: the upload now ends at its end. */
    void putPart(S3UploadRecords.Upload upload, int number, byte[] bytes, int length) throws IOException {
        String etag = domains.of(upload.domain()).objects().put(partKey(upload.id(), number), bytes, length);
        records.putPart(upload.id(), new S3UploadRecords.Part(number, length, etag),
                (number - 1) * upload.partSize() + length, clock.instant());
    }

    @Override
    public long length(String uploadId) throws IOException {
        return find(uploadId).length();
    }

    @Override
    public ReadableByteChannel read(String uploadId) throws IOException {
        S3UploadRecords.Upload upload = find(uploadId);
        List<InputStream> streams = new ArrayList<>();
        for (S3Objects.Source s : sources(upload, upload.length())) {
            streams.add(new LazyStream(objects, s));
        }
        return Channels.newChannel(new SequenceInputStream(Collections.enumeration(streams)));
    }

    /** The part objects holding the first {@code length} bytes, each with the bytes of it that count. */
    private List<S3Objects.Source> sources(S3UploadRecords.Upload upload, long length) throws IOException {
        List<S3Objects.Source> sources = new ArrayList<>();
        long p = upload.partSize();
        for (S3UploadRecords.Part part : records.parts(upload.id())) {
            long start = (part.number() - 1) * p;
            if (start >= length) {
                break;
            }
            if (part.number() != sources.size() + 1) {
                throw new IOException("upload " + upload.id() + " lacks part " + (sources.size() + 1));
            }
            long counted = Math.min(part.size(), length - start);
            sources.add(new S3Objects.Source(partKey(upload.id(), part.number()), counted, part.etag()));
        }
        long covered = sources.stream().mapToLong(S3Objects.Source::length).sum();
        if (covered != length) {
            throw new IOException("upload " + upload.id() + " holds " + covered + " of " + length + " bytes");
        }
        return sources;
    }

    @Override
    public void commit(String uploadId, long length, Digest digest) throws IOException {
        S3UploadRecords.Upload upload = find(uploadId);
        if (length < 0 || length > upload.length()) {
            throw new IOException("upload " + uploadId + " holds " + upload.length() + " bytes, cannot commit " + length);
        }
        List<S3Objects.Source> sources = sources(upload, length);
        S3BlobStore blobs = domains.of(upload.domain());
        String key = blobs.keyOf(digest);
        if (sources.isEmpty()) {
            blobs.objects().put(key, new byte[0], 0);
        } else {
            blobs.objects().concatenate(sources, key, 0);
        }
        try {
            delete(uploadId);
        } catch (IOException e) {
            // the blob is stored: the parts left behind still have their record, and the upload sweep removes them
        }
    }

    /** The objects first: a record left behind by a failure is found again by the sweep, objects without one are not. */
    @Override
    public void delete(String uploadId) throws IOException {
        check(uploadId);
        objects.deleteAll(objects.key("uploads/" + uploadId + "/"));
        records.delete(uploadId);
    }

    @Override
    public Instant lastModified(String uploadId) throws IOException {
        return find(uploadId).modifiedAt();
    }

    @Override
    public List<String> list() {
        return records.ids();
    }

    private S3UploadRecords.Upload find(String uploadId) throws IOException {
        check(uploadId);
        return records.find(uploadId).orElseThrow(() -> new NoSuchFileException(uploadId));
    }

    private String partKey(String uploadId, int number) {
        return objects.key("uploads/" + uploadId + "/" + String.format("%05d", number));
    }

    private static void check(String uploadId) {
        if (uploadId == null || !SAFE_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("unsafe upload id: " + uploadId);
        }
    }

    /** A part's counted bytes, requested only when the reader gets to them. */
    private static final class LazyStream extends InputStream {
        private final S3Objects objects;
        private final S3Objects.Source source;
        private InputStream in;

        LazyStream(S3Objects objects, S3Objects.Source source) {
            this.objects = objects;
            this.source = source;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = source.length() == 0 ? InputStream.nullInputStream() : objects.get(source.key(), 0, source.length());
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
