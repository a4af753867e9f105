package io.wharf.scan.insight;

import io.wharf.core.model.Digest;
import java.util.List;

/**
 * Layer insight of one image, or the platforms of an index (docs/layer-insight.md).
 *
 * @param status         COMPLETE (every figure computed); PENDING (some layer not read yet: queued); TOO_LARGE or
 *                       UNREADABLE (a layer could not be read, or the image has more entries than allowed); INDEX
 *                       (an index: see {@code platforms})
 * @param layers         bottom first
 * @param totalFileBytes bytes of every regular file of every layer
 * @param visibleBytes   bytes of the regular files the final image shows
 * @param wastedBytes    {@code totalFileBytes - visibleBytes}: copies replaced or removed by a later layer or entry
 * @param duplicateBytes the part of {@code wastedBytes} re-added unchanged (same path, same content)
 * @param efficiency     {@code visibleBytes / totalFileBytes} (1 when there are no file bytes), null unless COMPLETE
 * @param platforms      an index's images, else empty
 * @param biggestWaste   the largest files a higher layer replaces or removes, largest first (at most
 *                       {@link #BIGGEST_WASTE}; copies a layer's tar holds twice are in the figures but not here); empty
 *                       unless COMPLETE
 */
public record ImageInsight(Digest image, String status, String detail, List<LayerFigures> layers, long totalFileBytes,
                           long visibleBytes, long wastedBytes, long duplicateBytes, Double efficiency,
                           List<Platform> platforms, List<WastedFile> biggestWaste) {
    /** How many wasted files an image's insight lists: the largest few tell where to look. */
    public static final int BIGGEST_WASTE = 20;

    public static final String COMPLETE = "COMPLETE";
    public static final String PENDING = "PENDING";
    public static final String INDEX = "INDEX";

    /** An image of an index: {@code platform} is {@code os/arch[/variant]}. */
    public record Platform(Digest digest, String platform) {
    }

    /**
     * A file of layer {@code layer} that layer {@code hiddenBy} replaces ({@code removed} false) or removes.
     *
     * @param path normalized, no leading {@code /}
     */
    public record WastedFile(String path, int layer, long size, int hiddenBy, boolean removed) {
    }

    public ImageInsight {
        layers = List.copyOf(layers);
        platforms = List.copyOf(platforms);
        biggestWaste = List.copyOf(biggestWaste);
    }

    static ImageInsight incomplete(Digest image, String status, String detail, List<LayerFigures> layers) {
        return new ImageInsight(image, status, detail, layers, 0, 0, 0, 0, null, List.of(), List.of());
    }

    static ImageInsight index(Digest image, List<Platform> platforms) {
        return new ImageInsight(image, INDEX, null, List.of(), 0, 0, 0, 0, null, platforms, List.of());
    }
}
