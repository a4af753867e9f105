package io.wharf.server.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.service.ListingService;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** {@code GET /v2/}, {@code tags/list} and {@code _catalog}, paginated with {@code n}, {@code last} and {@code Link}. */
final class ListingEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");

    private final ListingService listings;

    ListingEndpoints(ListingService listings) {
        this.listings = listings;
    }

    void base(OciCall call) throws IOException {
        call.ex().sendJson(200, "application/json", "{}");
    }

    void tags(OciCall call) throws IOException {
        Integer n = pageSize(call.query("n", OciError.PAGINATION_NUMBER_INVALID));
        String lastParam = call.query("last", OciError.TAG_INVALID);
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
        Integer n = pageSize(call.query("n", OciError.PAGINATION_NUMBER_INVALID));
        String lastParam = call.query("last", OciError.NAME_INVALID);
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

    /** Any non-negative integer; beyond int range it is capped like any other over-large page size. */
    private static Integer pageSize(String n) {
        if (n == null || n.isEmpty()) {
            return null;
        }
        if (!DECIMAL.matcher(n).matches() || new BigInteger(n).signum() < 0) {
            throw new OciProblem(OciError.PAGINATION_NUMBER_INVALID, "n must be a non-negative integer", n);
        }
        return new BigInteger(n).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
    }
}
