package io.wharf.core.spi;

import io.wharf.core.model.Digest;

/** A verified blob as the metadata records it. */
public record StoredBlob(Digest digest, long size) {
}
