package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A manifest as stored: its exact bytes and what is indexed about it ({@code lastPulledAt} null: never pulled).
 *
 * @param intact whether {@code content} hashes to {@code digest}. The constructors without it compute it,
 *               so a manifest is verified once each time it is loaded from storage (not on every hit of a
 *               cache that holds it); the services refuse to serve one that is not intact.
 */
public record StoredManifest(Digest digest, String mediaType, String artifactType, Digest subject,
                             byte[] content, Instant pushedAt, Instant lastPulledAt, boolean intact) {

    public StoredManifest(Digest digest, String mediaType, String artifactType, Digest subject, byte[] content,
                          Instant pushedAt, Instant lastPulledAt) {
        this(digest, mediaType, artifactType, subject, content, pushedAt, lastPulledAt, hashesTo(content, digest));
    }

    public StoredManifest(Digest digest, String mediaType, String artifactType, Digest subject, byte[] content,
                          Instant pushedAt) {
        this(digest, mediaType, artifactType, subject, content, pushedAt, null);
    }

    public long size() {
        return content.length;
    }

    private static boolean hashesTo(byte[] content, Digest digest) {
        return MessageDigest.isEqual(digest.newMessageDigest().digest(content), HexFormat.of().parseHex(digest.hex()));
    }
}
