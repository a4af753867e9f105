package io.wharf.server.console;

import java.util.List;

/**
 * An image's layer insight (docs/layer-insight.md): its efficiency and wasted bytes, and per layer what it adds,
 * modifies and removes. While PENDING the page polls itself (htmx) until the layers are read.
 *
 * @param status     COMPLETE, PENDING, INDEX, TOO_LARGE or UNREADABLE
 * @param detail     why the figures are missing; null when there is nothing to say
 * @param efficiency the score as a percentage ("84.2 %"); null unless COMPLETE
 * @param platforms  an index's images, linked to their insight
 * @param waste      the largest files a higher layer replaces or removes, largest first
 */
public record InsightPage(Frame frame, String name, String digest, String status, String detail, String efficiency,
                          String totalBytes, String visibleBytes, String wastedBytes, String duplicateBytes,
                          List<LayerRow> layers, List<PlatformRow> platforms, List<WasteRow> waste, String imageHref,
                          String selfHref) {

    public boolean pending() {
        return "PENDING".equals(status);
    }

    public boolean complete() {
        return "COMPLETE".equals(status);
    }

    /** A layer: its figures written out, and the link to its file tree (null: the tree cannot be shown). */
    public record LayerRow(int number, String digest, String shortDigest, String size, String status, long entries,
                           String fileBytes, long added, long modified, long removed, String wastedBytes,
                           boolean wasteful, String treeHref) {
    }

    public record PlatformRow(String platform, String digest, String href) {
    }

    /** A wasted file: where it is, which layer wrote it, its size, and how a higher layer hides it. */
    public record WasteRow(String path, int layer, String size, String hiddenBy) {
    }
}
