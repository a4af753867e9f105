package io.wharf.server.console;

import io.wharf.core.gallery.CatalogData;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.GalleryService;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.GalleryIndex.Listing;
import io.wharf.core.spi.GalleryIndex.RecentTag;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The gallery (docs/public-repositories.md), which anyone may read: a search over the configured account's public
 * repositories ({@link GalleryService#search}, keyset pages) and a public repository's page. Everything shown comes
 * from the public listing: a private repository's name answers as a missing one (404), whoever asks.
 */
final class GalleryPages {
    private static final String LOGO = "/wharf/v1/gallery/logo/";

    private final ConsoleContext context;
    private final int pageSize;

    /** @param pageSize repositories a page ({@code gallery.page-size}) */
    GalleryPages(ConsoleContext context, int pageSize) {
        this.context = context;
        this.pageSize = pageSize;
    }

    Reply list(ConsoleCall call) {
        String query = call.query("q") == null ? "" : call.query("q").strip();
        GalleryService.Page page = context.registry().gallery().search(context.account(), query,
                call.query("page-token"), pageSize, 1);
        List<GalleryPage.Entry> entries = page.entries().stream().map(e -> entry(call, e)).toList();
        String next = page.nextPageToken() == null ? null : PagePaths.gallery() + "?q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&page-token=" + page.nextPageToken();
        GalleryPage model = new GalleryPage(call.frame("Gallery"), query, entries, next);
        boolean partial = "gallery-results".equals(call.exchange().header("HX-Target"));
        return Reply.page(partial ? "galleryRows.jte" : "gallery.jte", model);
    }

    Reply show(ConsoleCall call) {
        RepoKey key = new RepoKey(context.account(), RepositoryName.parse(call.rawRepositoryName(),
                context.maxNameLength()));
        GalleryService gallery = context.registry().gallery();
        GalleryService.TagPage tags = gallery.publicTags(key, call.query("page-token"), context.pageSize());
        String name = key.name().value();
        String uri = call.registryHost() + "/" + name;
        List<GalleryRepositoryPage.TagRow> rows = tags.tags().stream().map(t -> tag(uri, t)).toList();
        String next = tags.nextPageToken() == null ? null
                : PagePaths.galleryRepository(name) + "?page-token=" + tags.nextPageToken();
        Listing listing = gallery.listing(key);
        CatalogData c = listing.catalog();
        GalleryRepositoryPage model = new GalleryRepositoryPage(call.frame(name), name, uri, c.description(),
                c.aboutText(), c.usageText(), c.architectures(), c.operatingSystems(), logo(name, c), rows, next);
        boolean partial = "tag-table".equals(call.exchange().header("HX-Target"));
        return Reply.page(partial ? "galleryTags.jte" : "galleryRepository.jte", model);
    }

    private static GalleryPage.Entry entry(ConsoleCall call, GalleryService.Entry e) {
        String name = e.repository().name().value();
        CatalogData c = e.catalog();
        String pull = e.recentTags().isEmpty() ? null
                : "docker pull " + call.registryHost() + "/" + name + ":" + e.recentTags().getFirst().tag().value();
        return new GalleryPage.Entry(name, PagePaths.galleryRepository(name), c.description(), c.architectures(),
                c.operatingSystems(), logo(name, c), pull);
    }

    private static GalleryRepositoryPage.TagRow tag(String uri, RecentTag t) {
        String digest = t.digest().toString();
        return new GalleryRepositoryPage.TagRow(t.tag().value(), digest, Format.shortDigest(digest),
                Format.time(t.updatedAt()), "docker pull " + uri + ":" + t.tag().value());
    }

    /** The logo as Wharf's API serves it without sign-in (same origin: the page's CSP allows it). */
    private static String logo(String name, CatalogData c) {
        return c.logo() == null ? null : LOGO + name;
    }
}
