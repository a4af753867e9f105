package io.wharf.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The blob store of each encryption domain in the bucket: {@code domains/<folder>/}, written with the domain's SSE-KMS
 * settings. A domain's folder holds a marker object naming its encryption, written when this node first uses it, so
 * that any node finding the folder (garbage collection, a copy between domains) writes into it as it must.
 */
final class DomainStores {
    static final String DOMAINS = "domains/";
    private static final String MARKER = "domain";

    private final S3Objects objects;
    private final S3Settings settings;
    private final S3Presigner presigner;
    private final S3BlobStore plain;
    private final Map<String, S3BlobStore> byFolder = new ConcurrentHashMap<>();

    DomainStores(S3Objects objects, S3Settings settings, S3Presigner presigner, S3BlobStore plain) {
        this.objects = objects;
        this.settings = settings;
        this.presigner = presigner;
        this.plain = plain;
    }

    S3BlobStore plain() {
        return plain;
    }

    /** The store of a domain (null: the plain tree), its marker written on first use by this node. */
    S3BlobStore of(S3Domain domain) throws IOException {
        if (domain == null) {
            return plain;
        }
        S3BlobStore store = byFolder.get(domain.folder());
        if (store == null) {
            byte[] marker = domain.describe().getBytes(StandardCharsets.UTF_8);
            S3Objects writer = objects.withSse(domain.sse(), domain.kmsKeyId());
            writer.put(markerKey(domain.folder()), marker, marker.length);
            store = known(domain, writer);
        }
        return store;
    }

    /** Registers the store of a domain whose marker is in the bucket; {@code writer} writes with its SSE settings. */
    private S3BlobStore known(S3Domain domain, S3Objects writer) {
        S3BlobStore store = new S3BlobStore(writer, settings, presigner,
                DOMAINS + domain.folder() + "/");
        S3BlobStore raced = byFolder.putIfAbsent(domain.folder(), store);
        return raced != null ? raced : store;
    }

    /** Every domain in the bucket, whichever node made it; a folder without a readable marker is skipped. */
    List<S3BlobStore> all() throws IOException {
        List<S3BlobStore> found = new ArrayList<>();
        for (String folder : objects.folders(objects.key(DOMAINS))) {
            S3BlobStore known = byFolder.get(folder);
            if (known != null) {
                found.add(known);
                continue;
            }
            S3Domain domain = marker(folder);
            if (domain != null && domain.folder().equals(folder)) {
                found.add(known(domain, objects.withSse(domain.sse(), domain.kmsKeyId()))); // its marker is there already: nothing to write
            }
        }
        return found;
    }

    private S3Domain marker(String folder) throws IOException {
        try (InputStream in = objects.get(markerKey(folder), 0, S3Domain.MAX_KEY_CHARS + 64)) {
            return S3Domain.parse(new String(in.readNBytes(S3Domain.MAX_KEY_CHARS + 64), StandardCharsets.UTF_8));
        } catch (NoSuchFileException | IllegalArgumentException e) {
            return null; // not a domain of ours (or its first write is still under way)
        }
    }

    private String markerKey(String folder) {
        return objects.key(DOMAINS + folder + "/" + MARKER);
    }
}
