package io.wharf.scan.layer;

import io.wharf.core.model.Digest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A plain in-memory {@link LayerCache} (the real one over ScanIndex lives in the service module). */
final class MapLayerCache implements LayerCache {

    final Map<String, byte[]> entries = new HashMap<>();

    @Override
    public Optional<byte[]> get(Digest diffId, String key) {
        return Optional.ofNullable(entries.get(diffId + " " + key));
    }

    @Override
    public void put(Digest diffId, String key, byte[] analysis) {
        entries.put(diffId + " " + key, analysis);
    }
}
