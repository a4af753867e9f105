package io.wharf.scan.layer;

import io.wharf.core.model.Digest;
import java.util.Optional;

/**
 * Per-layer analysis results kept by the layer's uncompressed digest (its diffID), so a layer shared by many
 * images, or scanned again, is read once. {@code key} combines the analyzer's and the catalogers' versions:
 * a result written by another version is not returned. Entries are only ever written under the digest the
 * reader computed from the bytes it read, never under a digest an image config merely claims.
 */
public interface LayerCache {

    Optional<byte[]> get(Digest diffId, String key);

    void put(Digest diffId, String key, byte[] analysis);

    /** No caching (tests, tools). */
    LayerCache NONE = new LayerCache() {
        @Override
        public Optional<byte[]> get(Digest diffId, String key) {
            return Optional.empty();
        }

        @Override
        public void put(Digest diffId, String key, byte[] analysis) {
        }
    };
}
