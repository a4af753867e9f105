package io.wharf.scan.service;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.ScanIndex;
import io.wharf.scan.layer.LayerCache;
import java.time.Clock;
import java.util.Optional;

/** The analyzer's {@link LayerCache} in the metadata database ({@link ScanIndex}'s {@code scan_layer}): shared by every node. */
public final class ScanLayerCache implements LayerCache {
    private final ScanIndex scans;
    private final Clock clock;

    public ScanLayerCache(ScanIndex scans, Clock clock) {
        this.scans = scans;
        this.clock = clock;
    }

    @Override
    public Optional<byte[]> get(Digest diffId, String key) {
        return scans.layerAnalysis(diffId, key);
    }

    @Override
    public void put(Digest diffId, String key, byte[] analysis) {
        scans.putLayerAnalysis(diffId, key, analysis, clock.instant());
    }
}
