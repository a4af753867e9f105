package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import java.time.Instant;

/** A manifest as stored: its exact bytes and what is indexed about it ({@code lastPulledAt} null: never pulled). */
public record StoredManifest(Digest digest, String mediaType, String artifactType, Digest subject,
                             byte[] content, Instant pushedAt, Instant lastPulledAt) {

    public StoredManifest(Digest digest, String mediaType, String artifactType, Digest subject, byte[] content,
                          Instant pushedAt) {
        this(digest, mediaType, artifactType, subject, content, pushedAt, null);
    }

    public long size() {
        return content.length;
    }
}
