package io.wharf.scan.layer;

import io.wharf.scan.model.ImageInventory;
import java.io.IOException;
import java.util.List;

/**
 * Reads an image's layers (each at most once, none on a cache hit), records per layer what the catalogers
 * find plus its whiteouts, caches that by diffID, and merges the layers bottom-up with OCI whiteout semantics
 * into the image's inventory.
 */
public final class ImageAnalyzer {

    /**
     * @param maxFileBytes  a wanted file larger than this is skipped (counted, not read)
     * @param maxImageBytes sum of the layers' compressed sizes beyond which the image is not analysed
     * @param maxLayerBytes uncompressed bytes of one layer beyond which reading stops ({@link AnalysisException.Reason#TOO_LARGE})
     */
    public record Limits(long maxFileBytes, long maxImageBytes, long maxLayerBytes) {
    }

    private final List<Cataloger> catalogers;
    private final LayerCache cache;
    private final Limits limits;

    public ImageAnalyzer(List<Cataloger> catalogers, LayerCache cache, Limits limits) {
        this.catalogers = List.copyOf(catalogers);
        this.cache = cache;
        this.limits = limits;
    }

    /** The merged inventory of {@code layers} (bottom first). */
    public ImageInventory analyze(List<LayerSource> layers) throws IOException, AnalysisException {
        throw new UnsupportedOperationException("not built yet");
    }
}
