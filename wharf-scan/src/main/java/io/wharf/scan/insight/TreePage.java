package io.wharf.scan.insight;

import io.wharf.core.model.Digest;
import java.util.List;

/**
 * One page of the children of a directory as one layer of an image changes them (docs/layer-insight.md).
 *
 * @param path  the directory, normalized ("" for the root)
 * @param nodes by name
 * @param next  the name to pass as {@code after} for the next page, null on the last one
 */
public record TreePage(Digest image, Digest layer, int index, String path, List<Node> nodes, String next) {

    /**
     * A child of the directory.
     *
     * @param type   FILE, DIRECTORY, SYMLINK, HARDLINK or OTHER (what the layer puts there, or what it removes)
     * @param change ADDED, MODIFIED, REMOVED, or UNCHANGED (a directory the layer declares again without changing
     *               anything below it)
     * @param size   a file's bytes; for a directory the bytes of the files the layer adds or modifies below it; for
     *               a removed path the bytes removed
     * @param target a link's target, else null
     * @param wasted a non-directory the layer adds or modifies that the image does not show: a higher layer replaces
     *               or removes it
     */
    public record Node(String name, String path, String type, String change, long size, String target,
                       boolean wasted) {
    }

    public TreePage {
        nodes = List.copyOf(nodes);
    }
}
