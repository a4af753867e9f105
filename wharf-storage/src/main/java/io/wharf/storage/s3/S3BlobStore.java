package io.wharf.storage.s3;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobStore;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

/**
 * Blobs as objects named by their digest, {@code <prefix>blobs/<algorithm>/<first two hex digits>/<hex>}, like the
 * filesystem store's tree; a quarantined blob moves to {@code <prefix>quarantine/<algorithm>/<hex>}. An encryption
 * domain's store ({@link S3Domains}) keeps the same tree under {@code <prefix>domains/<domain>/}.
 */
public final class S3BlobStore implements BlobStore {
    private final S3Objects objects;
    private final S3Settings settings;
    private final S3Presigner presigner; // null: blobs are streamed, never redirected to
    /** Where the tree starts under the prefix: "" for the plain store, {@code domains/<domain>/} for a domain's. */
    private final String base;

    S3BlobStore(S3Objects objects, S3Settings settings, S3Presigner presigner) {
        this(objects, settings, presigner, "");
    }

    S3BlobStore(S3Objects objects, S3Settings settings, S3Presigner presigner, String base) {
        this.objects = objects;
        this.settings = settings;
        this.presigner = presigner;
        this.base = base;
    }

    /** The objects this store writes with (its domain's encryption). */
    S3Objects objects() {
        return objects;
    }

    /** The key of a blob. */
    String keyOf(Digest digest) {
        return objects.key(base + "blobs/" + digest.algorithm().prefix() + "/" + digest.hex().substring(0, 2) + "/"
                + digest.hex());
    }

    @Override
    public OptionalLong size(Digest digest) throws IOException {
        try {
            return OptionalLong.of(objects.head(keyOf(digest)).contentLength());
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public SeekableByteChannel open(Digest digest) throws IOException {
        String key = keyOf(digest);
        HeadObjectResponse head = objects.head(key);
        return new S3ReadChannel(objects, key, head.contentLength());
    }

    @Override
    public void delete(Digest digest) throws IOException {
        objects.delete(keyOf(digest));
    }

    @Override
    public List<BlobFile> list(Digest after, int limit) throws IOException {
        String prefix = objects.key(base + "blobs/");
        String from = after == null ? null : keyOf(after);
        List<BlobFile> found = new ArrayList<>();
        while (found.size() < limit) {
            List<S3Object> page = objects.list(prefix, from, limit - found.size());
            if (page.isEmpty()) {
                break;
            }
            for (S3Object o : page) {
                parse(o.key().substring(prefix.length()))
                        .ifPresent(d -> found.add(new BlobFile(d, o.size(), o.lastModified())));
            }
            from = page.getLast().key();
        }
        return found;
    }

    /** The digest a key under {@code blobs/} names, if it names one where it belongs. */
    private static Optional<Digest> parse(String name) {
        String[] parts = name.split("/");
        if (parts.length != 3 || !parts[2].startsWith(parts[1])) {
            return Optional.empty();
        }
        try {
            Digest digest = Digest.parse(parts[0] + ":" + parts[2]);
            return parts[1].equals(digest.hex().substring(0, 2)) ? Optional.of(digest) : Optional.empty();
        } catch (RuntimeException e) { // not a digest: some other object
            return Optional.empty();
        }
    }

    /** Copies the blob aside (there is no rename), then deletes it, so it reads as absent; the copy is kept. */
    @Override
    public void quarantine(Digest digest) throws IOException {
        String key = keyOf(digest);
        long size;
        try {
            size = objects.head(key).contentLength();
        } catch (NoSuchFileException e) {
            return;
        }
        objects.copy(key, objects.key(base + "quarantine/" + digest.algorithm().prefix() + "/" + digest.hex() + "."
                + Instant.now().toEpochMilli()), size);
        objects.delete(key);
    }

    /** With redirects on, a presigned URL of the blob, valid for the configured lifetime. */
    @Override
    public Optional<URI> downloadUrl(Digest digest) {
        if (presigner == null) {
            return Optional.empty();
        }
        GetObjectRequest get = GetObjectRequest.builder().bucket(settings.bucket()).key(keyOf(digest)).build();
        GetObjectPresignRequest req = GetObjectPresignRequest.builder().signatureDuration(settings.presignTtl())
                .getObjectRequest(get).build();
        try {
            return Optional.of(presigner.presignGetObject(req).url().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the SDK presigned an invalid URL", e);
        }
    }
}
