package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import java.time.Instant;

/** A manifest as stored: its exact bytes and what is indexed about it. */
public record StoredManifest(Digest digest, String mediaType, String artifactType, Digest subject,
                             byte[] content, Instant pushedAt) {
    public long size() {
        return content.length;
    }
}
