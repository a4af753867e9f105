package io.wharf.server.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.service.ListingService;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code GET /v2/}, {@code tags/list} and {@code _catalog}, paginated with {@code n}, {@code last} and {@code Link}. */
final class ListingEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ListingService listings;

    ListingEndpoints(ListingService listings) {
        this.listings = listings;
    }

    void base(OciCall call) throws IOException {
        call.ex().sendJson(200, "application/json", "{}");
    }

    void tags(OciCall call) throws IOException {
        Integer n = pageSize(call.ex().query("n"));
        String lastParam = call.ex().query("last");
        Tag last = lastParam == null || lastParam.isEmpty() ? null : new Tag(lastParam);
        ListingService.Page<Tag> page = listings.tags(call.repo(), last, n);
        ObjectNode root = JSON.createObjectNode();
        root.put("name", call.repo().name().value());
        ArrayNode tags = root.putArray("tags");
        page.items().forEach(t -> tags.add(t.value()));
        if (page.more()) {
            link(call, call.repoPath() + "/tags/list", page.items().size(), page.lastItem().value());
        }
        call.ex().send(200, "application/json", JSON.writeValueAsBytes(root));
    }

    void catalog(OciCall call) throws IOException {
        Integer n = pageSize(call.ex().query("n"));
        String lastParam = call.ex().query("last");
        RepositoryName last = lastParam == null || lastParam.isEmpty() ? null : RepositoryName.parse(lastParam);
        ListingService.Page<RepositoryName> page = listings.catalog(call.account(), last, n);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode repos = root.putArray("repositories");
        page.items().forEach(r -> repos.add(r.value()));
        if (page.more()) {
            link(call, "/v2/_catalog", page.items().size(), page.lastItem().value());
        }
        call.ex().send(200, "application/json", JSON.writeValueAsBytes(root));
    }

    private static void link(OciCall call, String path, int n, String last) {
        call.ex().setHeader("Link", "<" + path + "?n=" + n + "&last="
                + URLEncoder.encode(last, StandardCharsets.UTF_8) + ">; rel=\"next\"");
    }

    private static Integer pageSize(String n) {
        if (n == null || n.isEmpty()) {
            return null;
        }
        try {
            int value = Integer.parseInt(n);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new OciProblem(OciError.PAGINATION_NUMBER_INVALID, "n must be a non-negative integer", n);
        }
    }
}
