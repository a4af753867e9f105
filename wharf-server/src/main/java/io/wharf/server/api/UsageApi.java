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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Usage, read from the counters the store keeps (docs/usage.md): {@code GET usage} answers the registry's total, the
 * account's total with its pulls per day, and a page of the account's repositories; {@code GET
 * repositories/<name>/usage} one repository with its pulls per day ({@code ?days=N}, default 30, the last N UTC
 * days including today).
 * Authorized with {@value #GET_USAGE} on the repository's ECR ARN, or on {@code repository/*} for the total,
 * so that a policy scoped to some repositories lets their owners see their own usage only.
 */
final class UsageApi {
    static final String GET_USAGE = "wharf:GetUsage";
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 366;

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

    /** {@code GET usage}: {@code {"registry":{…},"repositories":[…],"nextToken":…}}; {@code nextToken} only when more follow. */
    ApiReply registry(ApiCall call) throws AuthException {
        Exchange ex = call.ex();
        call.allow(GET_USAGE, EcrArns.allRepositories(region, account));
        int limit = maxResults(ex.query("maxResults"));
        String token = ex.query("nextToken");
        RepositoryName after = token == null ? null : parseToken(token);
        List<RepositoryUsage> page = usage.repositoryUsages(account, after, limit + 1);
        ObjectNode root = UsageJson.object();
        root.set("registry", UsageJson.of(usage.registryUsage()));
        root.set("account", UsageJson.of(usage.accountUsage(account), usage.accountPulls(account, since(ex))));
        ArrayNode list = root.putArray("repositories");
        page.stream().limit(limit).forEach(u -> list.add(UsageJson.of(u)));
        if (page.size() > limit) {
            root.put("nextToken", page.get(limit - 1).name().value());
        }
        return ApiReply.json(root.toString());
    }

    /** {@code GET repositories/<name>/usage}: one repository's usage. */
    ApiReply repository(ApiCall call) throws AuthException {
        RepositoryName name = RepositoryName.parse(call.param("name"), maxNameLength); // a bad name: 400 before authorization
        call.allow(GET_USAGE, EcrArns.repository(region, account, name.value()));
        LocalDate from = since(call.ex());
        return repositories.findRepository(account, name).flatMap(r -> usage.repositoryUsage(r.id()))
                .map(u -> ApiReply.json(UsageJson.of(u).set("pulls", UsageJson.pulls(usage.pulls(u.repositoryId(), from)))
                        .toString()))
                .orElseThrow(() -> new ApiProblem(ApiError.NOT_FOUND,
                        "no repository named " + name.value() + " in account " + account));
    }

    /** The first UTC day of the {@code days} asked for. */
    private static LocalDate since(Exchange ex) {
        String text = ex.query("days");
        int days = DEFAULT_DAYS;
        if (text != null) {
            try {
                days = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                days = -1;
            }
            if (days < 1 || days > MAX_DAYS) {
                throw new ApiProblem(ApiError.INVALID_PARAMETER, "days must be a whole number from 1 to " + MAX_DAYS
                        + ", not '" + text + "'");
            }
        }
        return LocalDate.now(ZoneOffset.UTC).minusDays(days - 1);
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
