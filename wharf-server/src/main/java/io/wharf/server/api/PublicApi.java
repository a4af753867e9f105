package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.gallery.CatalogData;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.GalleryService;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.GalleryIndex.Listing;
import io.wharf.core.spi.GalleryIndex.RecentTag;
import io.wharf.server.auth.EcrArns;
import io.wharf.server.http.Exchange;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.observe.RequestFacts;
import java.util.Map;

/**
 * Public repositories in Wharf's API: {@code repositories/<name>/public} (GET the visibility and catalog data; PUT
 * makes the repository public, DELETE private again, both as {@value #SET_VISIBILITY}) and the gallery
 * ({@code gallery?q=&page-token=}, {@code gallery/logo/<name>}), which needs no sign-in.
 */
final class PublicApi {
    static final String SET_VISIBILITY = "wharf:SetRepositoryVisibility";
    /** Reading a repository's visibility needs what describing it does. */
    static final String GET_VISIBILITY = "ecr:DescribeRepositories";
    private static final String LOGO = "gallery/logo/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GalleryService gallery;
    private final String region;
    private final String account;
    private final int maxNameLength;
    private final WharfConfig.Gallery settings;

    PublicApi(GalleryService gallery, String region, String account, int maxNameLength, WharfConfig.Gallery settings) {
        this.gallery = gallery;
        this.region = region;
        this.account = account;
        this.maxNameLength = maxNameLength;
        this.settings = settings;
    }

    /** {@code GET repositories/<name>/public}. */
    ApiReply visibility(ApiCall call) {
        RepositoryName name = RepositoryName.parse(call.param("name"), maxNameLength);
        call.allow(GET_VISIBILITY, EcrArns.repository(region, account, name.value()));
        return listing(call.ex(), name, gallery.listing(new RepoKey(account, name)));
    }

    /** {@code PUT repositories/<name>/public}. */
    ApiReply makePublic(ApiCall call) {
        return setVisibility(call, true);
    }

    /** {@code DELETE repositories/<name>/public}. */
    ApiReply makePrivate(ApiCall call) {
        return setVisibility(call, false);
    }

    private ApiReply setVisibility(ApiCall call, boolean makePublic) {
        RepositoryName name = RepositoryName.parse(call.param("name"), maxNameLength);
        // audited as the action, with the repository and the visibility asked for
        RequestFacts.of(call.ex().request()).action(SET_VISIBILITY.substring(SET_VISIBILITY.indexOf(':') + 1))
                .repository(name.value()).requestParameters(Map.of("repositoryName", name.value(), "public", makePublic));
        call.allow(SET_VISIBILITY, EcrArns.repository(region, account, name.value()));
        return listing(call.ex(), name, gallery.setPublic(new RepoKey(account, name), makePublic));
    }

    private ApiReply listing(Exchange ex, RepositoryName name, Listing listing) {
        ObjectNode out = JSON.createObjectNode().put("repositoryName", name.value()).put("public", listing.isPublic());
        out.set("catalogData", catalog(listing.catalog(), base(ex), name));
        return ApiReply.json(out.put("updatedAt", listing.updatedAt().toString()).toString());
    }

    /** {@code GET gallery?q=&page-token=}: a page of public repositories as JSON. */
    ApiReply search(ApiCall call) {
        Exchange ex = call.ex();
        GalleryService.Page page = gallery.search(account, ex.query("q"), ex.query("page-token"), settings.pageSize(),
                settings.tagsPerRepository());
        String host = host(ex);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("repositories");
        for (GalleryService.Entry e : page.entries()) {
            RepositoryName name = e.repository().name();
            ObjectNode r = list.addObject().put("repositoryName", name.value()).put("repositoryUri", host + "/" + name);
            r.set("catalogData", catalog(e.catalog(), base(ex), name));
            ArrayNode tags = r.putArray("recentTags");
            for (RecentTag t : e.recentTags()) {
                tags.addObject().put("tag", t.tag().value()).put("digest", t.digest().toString())
                        .put("updatedAt", t.updatedAt().toString())
                        .put("pullCommand", "docker pull " + host + "/" + name + ":" + t.tag().value());
            }
        }
        if (page.nextPageToken() != null) {
            out.put("nextPageToken", page.nextPageToken());
        }
        return ApiReply.json(out.toString());
    }

    /** {@code GET gallery/logo/<name>}: a public repository's logo; anything else is not found. */
    ApiReply logo(ApiCall call) {
        RepositoryName name = RepositoryName.parse(call.param("name"), maxNameLength);
        RepoKey key = new RepoKey(account, name);
        CatalogData.Logo logo = gallery.isPublic(key) ? gallery.listing(key).catalog().logo() : null;
        if (logo == null) {
            throw new ApiProblem(ApiError.NOT_FOUND, "no logo at " + call.ex().rawPath());
        }
        return new ApiReply(200, logo.mediaType(), logo.bytes());
    }

    private static ObjectNode catalog(CatalogData c, String base, RepositoryName name) {
        ObjectNode out = JSON.createObjectNode();
        putIf(out, "description", c.description());
        putIf(out, "aboutText", c.aboutText());
        putIf(out, "usageText", c.usageText());
        c.architectures().forEach(out.putArray("architectures")::add);
        c.operatingSystems().forEach(out.putArray("operatingSystems")::add);
        if (c.logo() != null) {
            out.put("logoUrl", base + "/wharf/v1/" + LOGO + name.value());
        }
        return out;
    }

    private static void putIf(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String base(Exchange ex) {
        return (ex.request().isSecure() ? "https" : "http") + "://" + host(ex);
    }

    /** The Host header as the client sent it: the URIs handed out must point back at it. */
    private static String host(Exchange ex) {
        String host = ex.header("Host");
        return host != null && !host.isBlank() ? host : ex.request().getHttpURI().getAuthority();
    }
}
