package io.wharf.scan.layer;

import io.wharf.core.model.Digest;
import io.wharf.scan.model.FoundPackage;
import io.wharf.scan.model.ImageInventory;
import io.wharf.scan.model.OsRelease;
import io.wharf.scan.model.Pkg;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Squashes per-layer results bottom-up with OCI whiteout semantics: a layer's whiteouts and opaque
 * directories remove what lower layers put there, then the layer's own files are laid on top (a file in a
 * higher layer replaces the lower one, packages and all).
 */
final class LayerMerger {

    /** What a path holds in the merged view. Exactly one of pkgs, text, link is set. */
    record Node(int layer, List<Pkg> pkgs, String text, String link) {
    }

    private static final Comparator<Pkg> ORDER = Comparator.comparing(Pkg::manager)
            .thenComparing(Pkg::name).thenComparing(Pkg::version).thenComparing(Pkg::filePath);

    private final NavigableMap<String, Node> view = new TreeMap<>();

    /** Applies layer {@code index} on top of the view. */
    void apply(int index, LayerAnalysis layer) {
        layer.opaqueDirs().forEach(dir -> removeUnder(dir));
        for (String path : layer.whiteouts()) {
            view.remove(path);
            removeUnder(path);
        }
        layer.files().forEach((path, pkgs) -> view.put(path, new Node(index, pkgs, null, null)));
        layer.osTexts().forEach((path, text) -> view.put(path, new Node(index, null, text, null)));
        layer.links().forEach((path, target) -> view.put(path, new Node(index, null, null, target)));
    }

    private void removeUnder(String dir) {
        if (dir.isEmpty()) {
            view.clear();
        } else {
            view.subMap(dir + "/", true, dir + "0", false).clear();
        }
    }

    /** The visible packages, each with the first layer whose results hold its key; deduplicated, ordered. */
    ImageInventory inventory(List<LayerAnalysis> layers, List<LayerSource> sources) {
        Map<String, Integer> firstLayer = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (List<Pkg> pkgs : layers.get(i).files().values()) {
                for (Pkg pkg : pkgs) {
                    firstLayer.putIfAbsent(pkg.key(), i);
                }
            }
        }
        Map<String, Pkg> visible = new HashMap<>();
        for (Node node : view.values()) {
            if (node.pkgs() != null) {
                node.pkgs().forEach(pkg -> visible.merge(pkg.key(), pkg,
                        (a, b) -> a.filePath().compareTo(b.filePath()) <= 0 ? a : b));
            }
        }
        List<FoundPackage> found = new ArrayList<>();
        visible.values().stream().sorted(ORDER).forEach(pkg -> {
            int layer = firstLayer.get(pkg.key());
            found.add(new FoundPackage(pkg, layer, sources.get(layer).digest(),
                    Digest.parse(layers.get(layer).diffId())));
        });
        return new ImageInventory(osRelease(), found);
    }

    /** {@code etc/os-release} (following links inside the view), then {@code usr/lib/os-release}, then hints. */
    OsRelease osRelease() {
        for (String path : List.of("etc/os-release", "usr/lib/os-release")) {
            String text = textAt(path);
            if (text != null) {
                OsRelease os = OsReleases.parse(text);
                if (os != null) {
                    return os;
                }
            }
        }
        String alpine = textAt("etc/alpine-release");
        if (alpine != null) {
            return OsReleases.alpine(alpine);
        }
        String debian = textAt("etc/debian_version");
        return debian == null ? null : OsReleases.debian(debian);
    }

    private String textAt(String path) {
        String current = path;
        for (int hops = 0; hops < 8 && current != null; hops++) {
            Node node = view.get(current);
            if (node == null) {
                return null;
            }
            if (node.text() != null) {
                return node.text();
            }
            current = node.link();
        }
        return null;
    }
}
