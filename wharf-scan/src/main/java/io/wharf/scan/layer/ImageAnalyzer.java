package io.wharf.scan.layer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Digest;
import io.wharf.scan.model.ImageInventory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an image's layers (each at most once, none on a cache hit), records per layer what the catalogers
 * find plus its whiteouts, caches that by diffID, and merges the layers bottom-up with OCI whiteout semantics
 * into the image's inventory.
 */
public final class ImageAnalyzer {

    /** Bumped when the layer reader or {@link LayerAnalysis} changes: part of every cache key. */
    public static final int FORMAT_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(ImageAnalyzer.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** A cached entry is small JSON; a larger one is not trusted to be ours. */
    private static final int MAX_CACHED_JSON = 64 * 1024 * 1024;
    /**
     * Paths one layer may leave in its analysis (package files, whiteouts, opaque dirs): bounds the memory a
     * layer of millions of tiny whiteout entries could take. Real layers stay far below.
     */
    public static final int MAX_LAYER_RECORDS = 1_000_000;

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
    private final String cacheKey;
    private final int maxRecords;

    public ImageAnalyzer(List<Cataloger> catalogers, LayerCache cache, Limits limits) {
        this(catalogers, cache, limits, MAX_LAYER_RECORDS);
    }

    ImageAnalyzer(List<Cataloger> catalogers, LayerCache cache, Limits limits, int maxRecords) {
        this.catalogers = List.copyOf(catalogers);
        this.cache = cache;
        this.limits = limits;
        this.cacheKey = cacheKey(this.catalogers);
        this.maxRecords = maxRecords;
    }

    /** The layer-cache key: the analyzer's format version and each cataloger's name and version, in order. */
    public static String cacheKey(List<Cataloger> catalogers) {
        return "wharf-layer-v" + FORMAT_VERSION + ";" + catalogers.stream()
                .map(c -> c.name() + ":" + c.version()).collect(Collectors.joining(","));
    }

    public String cacheKey() {
        return cacheKey;
    }

    /** The merged inventory of {@code layers} (bottom first). */
    public ImageInventory analyze(List<LayerSource> layers) throws IOException, AnalysisException {
        long total = layers.stream().mapToLong(LayerSource::size).sum();
        if (total > limits.maxImageBytes()) {
            throw new AnalysisException(AnalysisException.Reason.TOO_LARGE, "image layers total " + total
                    + " bytes compressed, more than max-image-bytes " + limits.maxImageBytes());
        }
        LayerReader reader = new LayerReader(catalogers, limits, maxRecords);
        LayerMerger merger = new LayerMerger();
        List<LayerAnalysis> analyses = new ArrayList<>();
        for (LayerSource layer : layers) {
            LayerAnalysis analysis = cached(layer).orElse(null);
            if (analysis == null) {
                analysis = reader.read(layer);
                store(analysis);
            }
            merger.apply(analyses.size(), analysis);
            analyses.add(analysis);
        }
        return merger.inventory(analyses, layers);
    }

    private Optional<LayerAnalysis> cached(LayerSource layer) {
        if (layer.diffId() == null) {
            return Optional.empty();
        }
        return cache.get(layer.diffId(), cacheKey).flatMap(bytes -> {
            try {
                LayerAnalysis analysis = decode(bytes);
                return layer.diffId().toString().equals(analysis.diffId()) ? Optional.of(analysis) : Optional.empty();
            } catch (IOException | RuntimeException e) {
                LOG.warn("ignoring unreadable cached analysis of {}: {}", layer.diffId(), e.toString());
                return Optional.empty();
            }
        });
    }

    /** Only ever under the digest computed from the bytes read, never the one the config claims. */
    private void store(LayerAnalysis analysis) throws IOException {
        cache.put(Digest.parse(analysis.diffId()), cacheKey, encode(analysis));
    }

    static byte[] encode(LayerAnalysis analysis) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            JSON.writeValue(out, analysis);
        }
        return bytes.toByteArray();
    }

    static LayerAnalysis decode(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            byte[] json = in.readNBytes(MAX_CACHED_JSON + 1);
            if (json.length > MAX_CACHED_JSON) {
                throw new IOException("cached analysis too large");
            }
            return JSON.readValue(json, LayerAnalysis.class);
        }
    }
}
