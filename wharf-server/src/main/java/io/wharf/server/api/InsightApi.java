package io.wharf.server.api;

import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.error.NameUnknownException;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.error.UnsupportedImageTypeException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.RepoKey;
import io.wharf.scan.insight.ImageInsight;
import io.wharf.scan.insight.LayerInsightService;
import io.wharf.scan.insight.TreePage;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.EcrArns;
import io.wharf.server.http.Exchange;
import java.util.function.Supplier;

/**
 * Layer insight (docs/layer-insight.md), authorized as pulling the image is ({@value SbomApi#ACTION} on the
 * repository's ARN):
 * {@code GET /wharf/v1/repositories/<name>/images/<digest>/insight} (the image's figures; 202 while PENDING) and
 * {@code GET …/insight/layers/<layer>?path=&after=&limit=} (a page of one directory's children as the layer changes
 * them; 202 while the layers are not read).
 */
final class InsightApi {
    private static final int DEFAULT_PAGE = 100;

    private final LayerInsightService insight;
    private final String region;
    private final String account;
    private final int maxNameLength;

    InsightApi(LayerInsightService insight, String region, String account, int maxNameLength) {
        this.insight = insight;
        this.region = region;
        this.account = account;
        this.maxNameLength = maxNameLength;
    }

    /** {@code GET repositories/<name>/images/<digest>/insight}: the image's figures (202 while PENDING). */
    ApiReply image(ApiCall call) throws AuthException {
        return respond(call, null);
    }

    /** {@code GET …/insight/layers/<layer>}: a page of one directory's children (202 while the layers are not read). */
    ApiReply layer(ApiCall call) throws AuthException {
        return respond(call, call.param("layer"));
    }

    /** Checks everything asked for, in order, then authorizes; {@code layerText} null: the image's figures. */
    private ApiReply respond(ApiCall call, String layerText) throws AuthException {
        Exchange ex = call.ex();
        RepositoryName name = RepositoryName.parse(call.param("name"), maxNameLength);
        Digest image = digest(call.param("digest"));
        Digest layer = layerText == null ? null : digest(layerText);
        int limit = limit(ex.query("limit"));
        call.allow(SbomApi.ACTION, EcrArns.repository(region, account, name.value()));
        RepoKey key = new RepoKey(account, name);
        if (layer == null) {
            ImageInsight found = answer(() -> insight.image(key, image));
            return document(ImageInsight.PENDING.equals(found.status()) ? 202 : 200, InsightJson.image(found));
        }
        TreePage page = answer(() -> insight.tree(key, image, layer, ex.query("path"), ex.query("after"), limit));
        return page == null ? document(202, InsightJson.pending(image, layer)) : document(200, InsightJson.tree(page));
    }

    /** The service's domain failures in this API's words. */
    private static <T> T answer(Supplier<T> call) {
        try {
            return call.get();
        } catch (NameUnknownException | ManifestUnknownException e) {
            throw new ApiProblem(ApiError.NOT_FOUND, e.getMessage());
        } catch (ParameterInvalidException | UnsupportedImageTypeException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, e.getMessage());
        }
    }

    private int limit(String text) {
        int max = insight.settings().maxPageSize();
        if (text == null) {
            return Math.min(DEFAULT_PAGE, max);
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiProblem(ApiError.INVALID_PARAMETER, "limit must be a number from 1 to " + max + ", not '" + text + "'");
    }

    private static ApiReply document(int status, String body) {
        return ApiReply.json(status, body);
    }

    private static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (RuntimeException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "not a digest: '" + text + "'");
        }
    }
}
