package io.wharf.server.console;

import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.model.Digest;
import io.wharf.core.service.RepoKey;
import io.wharf.scan.insight.ImageInsight;
import io.wharf.scan.insight.LayerFigures;
import io.wharf.scan.insight.LayerInsightService;
import io.wharf.scan.insight.TreePage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Layer insight in the console (docs/layer-insight.md), authorized by the handler as the API is
 * ({@code ecr:BatchGetImage} on the repository): an image's figures per layer, and a layer's file tree one
 * directory at a time. Nothing is read in the request: a layer not read yet queues the image and the page says
 * PENDING, polling itself until it is ready.
 */
final class InsightPages {
    private final ConsoleContext context;
    private final LayerInsightService insight;

    /** @param insight null when {@code insight.enabled} is false: the pages then answer 404 */
    InsightPages(ConsoleContext context, LayerInsightService insight) {
        this.context = context;
        this.insight = insight;
    }

    Reply image(ConsoleCall call) {
        if (insight == null) {
            return off(call);
        }
        RepoKey key = call.repository();
        Digest digest = call.digest();
        String name = key.name().value();
        ImageInsight found = insight.image(key, digest);
        boolean complete = ImageInsight.COMPLETE.equals(found.status());
        List<InsightPage.LayerRow> layers = found.layers().stream().map(l -> layer(name, digest, l, complete)).toList();
        List<InsightPage.PlatformRow> platforms = found.platforms().stream().map(p -> new InsightPage.PlatformRow(
                p.platform(), p.digest().toString(), PagePaths.insight(name, p.digest().toString()))).toList();
        InsightPage page = new InsightPage(call.frame("Layer insight of " + name), name, digest.toString(),
                found.status(), found.detail(), complete ? percent(found.efficiency()) : null,
                bytes(found.totalFileBytes()), bytes(found.visibleBytes()), bytes(found.wastedBytes()),
                bytes(found.duplicateBytes()), layers, platforms, found.biggestWaste().stream().map(w ->
                new InsightPage.WasteRow("/" + w.path(), w.layer() + 1, bytes(w.size()), (w.removed() ? "removed" : "replaced")
                        + " by layer " + (w.hiddenBy() + 1))).toList(), ConsolePath.image(name, digest.toString()),
                PagePaths.insight(name, digest.toString()));
        boolean partial = "insight".equals(call.exchange().header("HX-Target"));
        return Reply.page(partial ? "insightBody.jte" : "insight.jte", page);
    }

    Reply tree(ConsoleCall call) {
        if (insight == null) {
            return off(call);
        }
        RepoKey key = call.repository();
        Digest image = call.digest();
        Digest layer = layer(call.query("layer"));
        String path = call.query("path");
        TreePage page = insight.tree(key, image, layer, path, blankToNull(call.query("after")), limit(call.query("limit")));
        String name = key.name().value();
        String base = PagePaths.tree(name, image.toString()) + "?layer=" + layer;
        String dir = page == null ? "" : page.path();
        List<LayerTreePage.Node> nodes = page == null ? List.of()
                : page.nodes().stream().map(n -> node(base, n)).toList();
        String next = page == null || page.next() == null ? null
                : base + "&path=" + encode("/" + dir) + "&after=" + encode(page.next());
        LayerTreePage model = new LayerTreePage(call.frame("Layer " + layer + " of " + name), name, image.toString(),
                layer.toString(), page == null ? 0 : page.index() + 1, "/" + dir, crumbs(base, dir), page == null,
                nodes, next, PagePaths.insight(name, image.toString()), base + "&path=" + encode("/" + dir));
        boolean partial = "tree-table".equals(call.exchange().header("HX-Target"));
        return Reply.page(partial ? "treeRows.jte" : "layerTree.jte", model);
    }

    private static InsightPage.LayerRow layer(String name, Digest image, LayerFigures l, boolean complete) {
        String digest = l.digest().toString();
        String tree = complete ? PagePaths.tree(name, image.toString()) + "?layer=" + digest : null;
        return new InsightPage.LayerRow(l.index() + 1, digest, Format.shortDigest(digest), Format.size(l.size()),
                l.status(), l.entries(), bytes(l.fileBytes()), l.added(), l.modified(), l.removed(),
                bytes(l.wastedBytes()), l.wastedBytes() > 0, tree);
    }

    private static LayerTreePage.Node node(String base, TreePage.Node n) {
        String href = n.type().equals("DIRECTORY") && !n.change().equals("REMOVED")
                ? base + "&path=" + encode("/" + n.path()) : null;
        return new LayerTreePage.Node(n.name(), n.type().toLowerCase(Locale.ROOT), n.change(), bytes(n.size()),
                n.target(), href, n.wasted());
    }

    /** The root, then each directory down to {@code dir}, each linked to its page. */
    private static List<LayerTreePage.Crumb> crumbs(String base, String dir) {
        List<LayerTreePage.Crumb> out = new ArrayList<>();
        out.add(new LayerTreePage.Crumb("/", base + "&path=" + encode("/")));
        if (!dir.isEmpty()) {
            String at = "";
            for (String part : dir.split("/")) {
                at = at.isEmpty() ? part : at + "/" + part;
                out.add(new LayerTreePage.Crumb(part, base + "&path=" + encode("/" + at)));
            }
        }
        return out;
    }

    private static Digest layer(String text) {
        if (text == null || text.isEmpty()) {
            throw new ParameterInvalidException("name the layer: ?layer=<digest>", "layer");
        }
        return Digest.parse(text);
    }

    /** {@code limit}: 1 to {@code insight.max-page-size}; absent: {@code console.page-size} within that. */
    private int limit(String text) {
        int max = insight.settings().maxPageSize();
        if (text == null || text.isEmpty()) {
            return Math.min(context.pageSize(), max);
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ParameterInvalidException("limit must be a number from 1 to " + max, text);
        }
    }

    private static Reply off(ConsoleCall call) {
        return new Reply.Page(404, "error.jte", ErrorPage.of(call.frame("Not found"), 404,
                "Layer insight is turned off on this registry (insight.enabled: false)."));
    }

    /** Exact bytes with the binary unit beside them: the figures are checked to the byte. */
    static String bytes(long n) {
        return n < 1024 ? String.format(Locale.ROOT, "%,d bytes", n)
                : String.format(Locale.ROOT, "%,d bytes (%s)", n, Format.size(n));
    }

    private static String percent(Double efficiency) {
        return efficiency == null ? null : String.format(Locale.ROOT, "%.1f %%", efficiency * 100);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
