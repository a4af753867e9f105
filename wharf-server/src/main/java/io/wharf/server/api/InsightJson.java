package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.model.Digest;
import io.wharf.scan.insight.ImageInsight;
import io.wharf.scan.insight.LayerFigures;
import io.wharf.scan.insight.TreePage;

/** The JSON shapes of layer insight (docs/layer-insight.md). */
final class InsightJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InsightJson() {
    }

    static String image(ImageInsight i) {
        ObjectNode root = JSON.createObjectNode().put("imageDigest", i.image().toString()).put("status", i.status());
        if (i.detail() != null) {
            root.put("detail", i.detail());
        }
        if (ImageInsight.INDEX.equals(i.status())) {
            ArrayNode platforms = root.putArray("manifests");
            i.platforms().forEach(p -> platforms.addObject().put("digest", p.digest().toString()).put("platform", p.platform()));
            return root.toString();
        }
        if (ImageInsight.COMPLETE.equals(i.status())) {
            root.put("totalFileBytes", i.totalFileBytes()).put("visibleBytes", i.visibleBytes())
                    .put("wastedBytes", i.wastedBytes()).put("duplicateBytes", i.duplicateBytes())
                    .put("efficiency", i.efficiency());
            ArrayNode waste = root.putArray("biggestWastedFiles");
            i.biggestWaste().forEach(w -> waste.addObject().put("path", "/" + w.path()).put("layerIndex", w.layer())
                    .put("size", w.size()).put("hiddenByLayerIndex", w.hiddenBy()).put("removed", w.removed()));
        }
        ArrayNode layers = root.putArray("layers");
        boolean complete = ImageInsight.COMPLETE.equals(i.status());
        i.layers().forEach(l -> layer(layers.addObject(), l, complete));
        return root.toString();
    }

    /** {@code inImage}: the figures that need the layers below were computed (the image is COMPLETE). */
    private static void layer(ObjectNode o, LayerFigures l, boolean inImage) {
        o.put("index", l.index()).put("digest", l.digest().toString()).put("size", l.size()).put("status", l.status());
        if (l.detail() != null) {
            o.put("detail", l.detail());
        }
        o.put("entries", l.entries()).put("fileBytes", l.fileBytes());
        if (inImage) {
            o.put("added", l.added()).put("modified", l.modified()).put("removed", l.removed())
                    .put("addedBytes", l.addedBytes()).put("modifiedBytes", l.modifiedBytes())
                    .put("removedBytes", l.removedBytes()).put("duplicates", l.duplicates())
                    .put("duplicateBytes", l.duplicateBytes()).put("wastedBytes", l.wastedBytes());
        }
    }

    static String tree(TreePage page) {
        ObjectNode root = JSON.createObjectNode().put("imageDigest", page.image().toString())
                .put("layerDigest", page.layer().toString()).put("layerIndex", page.index())
                .put("path", "/" + page.path()).put("status", ImageInsight.COMPLETE);
        ArrayNode nodes = root.putArray("entries");
        for (TreePage.Node n : page.nodes()) {
            ObjectNode o = nodes.addObject().put("name", n.name()).put("path", "/" + n.path()).put("type", n.type())
                    .put("change", n.change()).put("size", n.size()).put("wasted", n.wasted());
            if (n.target() != null) {
                o.put("target", n.target());
            }
        }
        root.put("next", page.next());
        return root.toString();
    }

    static String pending(Digest image, Digest layer) {
        return JSON.createObjectNode().put("imageDigest", image.toString()).put("layerDigest", layer.toString())
                .put("status", ImageInsight.PENDING).toString();
    }
}
