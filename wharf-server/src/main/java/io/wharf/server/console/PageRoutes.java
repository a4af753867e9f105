package io.wharf.server.console;

import io.wharf.server.console.ConsolePath.Kind;
import io.wharf.server.console.ConsoleRoutes.Route;
import java.util.List;

/**
 * The gallery's and layer insight's part of the route table ({@link ConsoleRoutes}). The gallery needs no session
 * and no action: it shows only public repositories. Layer insight is authorized by the handler on the repository's
 * ARN with the action the API uses for it (pulling the image).
 */
final class PageRoutes {
    static final String INSIGHT_ACTION = "ecr:BatchGetImage";

    private PageRoutes() {
    }

    static List<Route> table(GalleryPages gallery, InsightPages insight) {
        return List.of(
                new Route("Gallery", Kind.GALLERY, "GET", gallery::list, null, false),
                new Route("GalleryRepository", Kind.GALLERY_REPOSITORY, "GET", gallery::show, null, false),
                new Route("LayerInsight", Kind.INSIGHT, "GET", insight::image, INSIGHT_ACTION, true),
                new Route("LayerTree", Kind.INSIGHT_TREE, "GET", insight::tree, INSIGHT_ACTION, true));
    }
}
