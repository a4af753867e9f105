package io.wharf.server.console;

import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.ListingService.Page;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.RepositoryUsage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The repository list: a name-prefix search over keyset pages in name order, each row authorized
 * ({@code ecr:DescribeRepositories} on the repository), so a user sees only what their policies allow. A request
 * reads at most {@link #MAX_BATCHES} batches of rows; when the caller may see few of them, the page ends early
 * with a link onwards rather than scanning the whole registry.
 */
final class RepositoryPages {
    private static final int MAX_BATCHES = 20;
    static final String SORT_ASCENDING = "name";
    static final String SORT_DESCENDING = "name-desc";

    private final ConsoleContext context;

    RepositoryPages(ConsoleContext context) {
        this.context = context;
    }

    Reply list(ConsoleCall call) {
        String prefix = prefix(call.query("prefix"));
        boolean descending = descending(call.query("sort"));
        String afterText = call.query("after");
        RepositoryName after = afterText == null || afterText.isEmpty()
                ? (descending ? beyond(prefix) : before(prefix))
                : RepositoryName.parse(afterText, context.maxNameLength());
        List<RepositoriesPage.Row> rows = new ArrayList<>();
        String next = collect(call, prefix, descending, after, rows);
        RepositoriesPage page = new RepositoriesPage(call.frame("Repositories"), prefix,
                descending ? SORT_DESCENDING : SORT_ASCENDING, rows, next);
        boolean partial = "repository-table".equals(call.exchange().header("HX-Target"));
        return Reply.page(partial ? "repositoryRows.jte" : "repositories.jte", page);
    }

    /**
     * Fills {@code rows} in the list's order; returns the next page's URL, or null at the end. The names with the
     * prefix are one run of the order: rows before the run are skipped, the first row past it ends the list.
     */
    private String collect(ConsoleCall call, String prefix, boolean descending, RepositoryName after,
                           List<RepositoriesPage.Row> rows) {
        String account = call.principal().account();
        int size = context.pageSize();
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            Page<Repository> page = descending ? context.registry().repositories().pageDescending(account, after, size)
                    : context.registry().repositories().page(account, after, size);
            for (Repository r : page.items()) {
                String name = r.name().value();
                after = r.name();
                if (!name.startsWith(prefix)) {
                    if (descending == name.compareTo(prefix) > 0) {
                        continue;
                    }
                    return null;
                }
                if (call.allowed(ConsoleRoutes.DESCRIBE_REPOSITORIES, r.name())) {
                    rows.add(row(call, r));
                    if (rows.size() == size) {
                        return page.more() || !page.items().getLast().equals(r) ? nextUrl(prefix, descending, after)
                                : null;
                    }
                }
            }
            if (!page.more()) {
                return null;
            }
        }
        return nextUrl(prefix, descending, after);
    }

    private RepositoriesPage.Row row(ConsoleCall call, Repository r) {
        RepositoryUsage usage = context.registry().metadata().repositoryUsage(r.id()).orElse(null);
        var settings = r.settings();
        return new RepositoriesPage.Row(r.name().value(), ConsolePath.images(r.name().value()),
                call.registryHost() + "/" + r.name().value(),
                settings.tagMutability().mode().name(), settings.scanOnPush(), settings.encryption().type().name(),
                Format.time(r.createdAt()), usage == null ? 0 : usage.images(),
                usage == null ? "0 B" : Format.size(usage.logicalBytes()));
    }

    private static String nextUrl(String prefix, boolean descending, RepositoryName after) {
        return ConsolePath.PREFIX + "?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8)
                + "&sort=" + (descending ? SORT_DESCENDING : SORT_ASCENDING)
                + "&after=" + URLEncoder.encode(after.value(), StandardCharsets.UTF_8);
    }

    private static boolean descending(String sort) {
        if (sort == null || sort.isEmpty() || sort.equals(SORT_ASCENDING)) {
            return false;
        }
        if (sort.equals(SORT_DESCENDING)) {
            return true;
        }
        throw new ParameterInvalidException("sort must be " + SORT_ASCENDING + " or " + SORT_DESCENDING, sort);
    }

    /** Repository names are lower case; a search is too. */
    private static String prefix(String query) {
        return query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * A valid name just below every name that starts with {@code prefix}, where a keyset scan can begin (the rows
     * between it and the prefix are skipped); null: from the start.
     */
    static RepositoryName before(String prefix) {
        for (String p = prefix; !p.isEmpty(); p = p.substring(0, p.length() - 1)) {
            String lowered = p.substring(0, p.length() - 1) + (char) (p.charAt(p.length() - 1) - 1);
            for (String candidate : new String[] {lowered, p.substring(0, p.length() - 1)}) {
                if (!candidate.isEmpty() && candidate.compareTo(prefix) < 0 && valid(candidate)) {
                    return new RepositoryName(candidate);
                }
            }
        }
        return null;
    }

    /**
     * A valid name just above every name that starts with {@code prefix}, where a descending scan can begin; null:
     * from the end. The prefix's last character is raised to the next one a name may hold there.
     */
    static RepositoryName beyond(String prefix) {
        for (String p = prefix; !p.isEmpty(); p = p.substring(0, p.length() - 1)) {
            String head = p.substring(0, p.length() - 1);
            for (char c = (char) (p.charAt(p.length() - 1) + 1); c <= 'z'; c++) {
                if (valid(head + c)) {
                    return new RepositoryName(head + c);
                }
            }
        }
        return null;
    }

    private static boolean valid(String name) {
        try {
            new RepositoryName(name);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
