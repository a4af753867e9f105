package io.wharf.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.RepositoryIndex;
import io.wharf.core.spi.RepositoryUsage;
import io.wharf.core.spi.UsageIndex;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.EcrArns;
import io.wharf.server.http.Exchange;
import java.util.List;

/**
 * Storage usage, computed from the metadata on every request (so always current): {@code GET usage} answers the
 * registry's total and a page of the account's repositories, {@code GET repositories/<name>/usage} one repository.
 * Authorized with {@value #GET_USAGE} on the repository's ECR ARN, or on {@code repository/*} for the total,
 * so that a policy scoped to some repositories lets their owners see their own usage only.
 */
final class UsageApi {
    static final String GET_USAGE = "wharf:GetUsage";
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    private static final String REPOSITORIES = "repositories/";
    private static final String SUFFIX = "/usage";

    /** Checks that the caller may perform the action on the resource. */
    @FunctionalInterface
    interface Authorizer {
        void allow(String action, String resourceArn) throws AuthException;
    }

    private final UsageIndex usage;
    private final RepositoryIndex repositories;
    private final String region;
    private final String account;
    private final int maxNameLength;

    UsageApi(UsageIndex usage, RepositoryIndex repositories, String region, String account, int maxNameLength) {
        this.usage = usage;
        this.repositories = repositories;
        this.region = region;
        this.account = account;
        this.maxNameLength = maxNameLength;
    }

    /** Whether {@code path} (below the API's prefix) is {@code repositories/<name>/usage}. */
    static boolean isRepositoryPath(String path) {
        return path.length() >= REPOSITORIES.length() + SUFFIX.length() && path.startsWith(REPOSITORIES)
                && path.endsWith(SUFFIX);
    }

    /** {@code {"registry":{…},"repositories":[…],"nextToken":…}}; {@code nextToken} only when more follow. */
    String registry(Exchange ex, Authorizer auth) throws AuthException {
        auth.allow(GET_USAGE, EcrArns.allRepositories(region, account));
        int limit = maxResults(ex.query("maxResults"));
        String token = ex.query("nextToken");
        RepositoryName after = token == null ? null : parseToken(token);
        List<RepositoryUsage> page = usage.repositoryUsages(account, after, limit + 1);
        ObjectNode root = UsageJson.object();
        root.set("registry", UsageJson.of(usage.registryUsage()));
        ArrayNode list = root.putArray("repositories");
        page.stream().limit(limit).forEach(u -> list.add(UsageJson.of(u)));
        if (page.size() > limit) {
            root.put("nextToken", page.get(limit - 1).name().value());
        }
        return root.toString();
    }

    /** One repository's usage; {@code path} is {@code repositories/<name>/usage}. */
    String repository(String path, Authorizer auth) throws AuthException {
        String raw = path.substring(REPOSITORIES.length(), path.length() - SUFFIX.length());
        RepositoryName name = RepositoryName.parse(raw, maxNameLength); // a bad name: 400 before authorization
        auth.allow(GET_USAGE, EcrArns.repository(region, account, name.value()));
        return repositories.findRepository(account, name).flatMap(r -> usage.repositoryUsage(r.id()))
                .map(u -> UsageJson.of(u).toString())
                .orElseThrow(() -> new ApiProblem(ApiError.NOT_FOUND,
                        "no repository named " + name.value() + " in account " + account));
    }

    private static int maxResults(String text) {
        if (text == null) {
            return DEFAULT_PAGE;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiProblem(ApiError.INVALID_PARAMETER, "maxResults must be a whole number from 1 to " + MAX_PAGE
                + ", not '" + text + "'");
    }

    /** The token is the last name of the previous page; anything else is not one we issued. */
    private RepositoryName parseToken(String token) {
        try {
            return RepositoryName.parse(token, maxNameLength);
        } catch (RuntimeException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "nextToken is not one this API issued");
        }
    }
}
