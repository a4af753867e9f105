package io.wharf.server.console;

import java.util.List;

/**
 * One directory as one layer of an image changes it (docs/layer-insight.md): a keyset page of its children by
 * name. Directories link one level down; the breadcrumbs climb back.
 *
 * @param pending the layers up to this one are not read yet (the image was queued)
 * @param next    the next page's URL; null: this is the last
 */
public record LayerTreePage(Frame frame, String name, String digest, String layer, int layerNumber, String path,
                            List<Crumb> crumbs, boolean pending, List<Node> nodes, String next, String insightHref,
                            String selfHref) {

    public record Crumb(String name, String href) {
    }

    /**
     * A child: {@code change} ADDED, MODIFIED, REMOVED (a whiteout, an opaque directory, or a file put over a
     * directory) or UNCHANGED; {@code href} the directory's own page, else null; {@code target} a link's target;
     * {@code wasted} a file of this layer that a higher layer replaces or removes.
     */
    public record Node(String name, String type, String change, String size, String target, String href,
                       boolean wasted) {

        public String changeLabel() {
            return switch (change) {
                case "REMOVED" -> "removed (whiteout)";
                default -> change.toLowerCase(java.util.Locale.ROOT);
            };
        }
    }
}
