package io.wharf.core.service;

import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.event.RegistryEvent.RepositoryVisibilityChanged;
import io.wharf.core.gallery.CatalogData;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.spi.GalleryIndex;
import io.wharf.core.spi.GalleryIndex.Listing;
import io.wharf.core.spi.GalleryIndex.PublicRepository;
import io.wharf.core.spi.GalleryIndex.RecentTag;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Public repositories and their catalog data, and the gallery's search (docs/public-repositories.md). The ECR
 * Public API, Wharf's API and the console call it; it speaks no protocol.
 */
public final class GalleryService {
    /** The longest search text, and the most words it may hold. */
    public static final int MAX_QUERY_CHARS = 256;
    public static final int MAX_QUERY_TERMS = 8;

    private final MetadataStore meta;
    private final RepositoryService repositories;
    private final Clock clock;

    GalleryService(MetadataStore meta, RepositoryService repositories, Clock clock) {
        this.meta = meta;
        this.repositories = repositories;
        this.clock = clock;
    }

    /** One gallery entry: the repository, its catalog data and its most recently written tags. */
    public record Entry(Repository repository, CatalogData catalog, List<RecentTag> recentTags) {
    }

    /** @param nextPageToken null on the last page */
    public record Page(List<Entry> entries, String nextPageToken) {
    }

    /** The repository's visibility and catalog data (private and empty when never set). */
    public Listing listing(RepoKey key) {
        Repository repo = repositories.get(key);
        return meta.gallery().listing(repo.id()).orElse(new Listing(false, CatalogData.EMPTY, repo.createdAt()));
    }

    /** False for a private or missing repository: an anonymous caller cannot tell the two apart. */
    public boolean isPublic(RepoKey key) {
        return meta.gallery().isPublic(key.account(), key.name());
    }

    /** Whether the account has any public repository. */
    public boolean hasPublic(String account) {
        return !meta.gallery().searchPublic(account, List.of(), null, 1).isEmpty();
    }

    /**
     * Makes the repository public or private; a change writes {@link RepositoryVisibilityChanged} in the same
     * transaction (webhooks and the event log see it), setting what it already is writes nothing.
     */
    public Listing setPublic(RepoKey key, boolean isPublic) {
        return meta.inTransaction("set repository visibility", unit -> {
            Repository repo = Repositories.require(unit, key);
            boolean was = meta.gallery().listing(repo.id()).map(Listing::isPublic).orElse(false);
            Instant now = clock.instant();
            if (!meta.gallery().setPublic(repo.id(), isPublic, now)) {
                throw Repositories.unknown(key);
            }
            if (was != isPublic) {
                unit.emit(new RepositoryVisibilityChanged(key.account(), key.name(), isPublic), now);
            }
            return meta.gallery().listing(repo.id()).orElseThrow();
        });
    }

    public Listing putCatalogData(RepoKey key, CatalogData catalog) {
        return meta.inTransaction("put catalog data", unit -> {
            Repository repo = Repositories.require(unit, key);
            if (!meta.gallery().putCatalogData(repo.id(), catalog, clock.instant())) {
                throw Repositories.unknown(key);
            }
            return meta.gallery().listing(repo.id()).orElseThrow();
        });
    }

    /** Deletes a public repository (with images only when {@code force}); a private one is not found. One unit of work. */
    public Repository deletePublic(RepoKey key, boolean force) {
        return meta.inTransaction("delete a public repository", unit -> {
            requirePublic(key);
            return repositories.delete(key, force);
        });
    }

    /** Replaces a public repository's catalog data; a private one is not found. One unit of work. */
    public Listing putPublicCatalogData(RepoKey key, CatalogData catalog) {
        return meta.inTransaction("put catalog data", unit -> {
            requirePublic(key);
            return putCatalogData(key, catalog);
        });
    }

    /** The repository when it is public; a private one is as unknown as a missing one. */
    public Repository requirePublic(RepoKey key) {
        if (!isPublic(key)) {
            throw Repositories.unknown(key);
        }
        return repositories.get(key);
    }

    /** A new repository, public from the start, with its catalog data and resource tags: one unit of work. */
    public Repository createPublic(RepoKey key, CatalogData catalog, Map<String, String> tags) {
        return meta.inTransaction("create a public repository", unit -> {
            Repository created = repositories.create(key, RepositorySettings.DEFAULTS, tags);
            meta.gallery().putCatalogData(created.id(), catalog, clock.instant());
            meta.gallery().setPublic(created.id(), true, clock.instant());
            unit.emit(new RepositoryVisibilityChanged(key.account(), key.name(), true), clock.instant());
            return created;
        });
    }

    /**
     * The account's public repositories matching every word of {@code query} (name, description, about text,
     * architectures, operating systems; case ignored; blank: all), in name order, {@code pageSize} a page, each with
     * up to {@code tagsPerEntry} recent tags.
     *
     * @param pageToken null for the first page, else the previous page's {@link Page#nextPageToken()}
     */
    public Page search(String account, String query, String pageToken, int pageSize, int tagsPerEntry) {
        List<String> terms = terms(query);
        RepositoryName after = pageToken == null || pageToken.isEmpty() ? null : decode(pageToken);
        List<PublicRepository> found = meta.gallery().searchPublic(account, terms, after, pageSize + 1);
        boolean more = found.size() > pageSize;
        List<Entry> entries = new ArrayList<>();
        for (PublicRepository p : more ? found.subList(0, pageSize) : found) {
            entries.add(new Entry(p.repository(), p.catalog(), meta.gallery().recentTags(p.repository().id(), tagsPerEntry)));
        }
        return new Page(entries, more ? encode(entries.getLast().repository().name()) : null);
    }

    /** @param nextPageToken null on the last page */
    public record TagPage(List<RecentTag> tags, String nextPageToken) {
    }

    /**
     * A public repository's tags, most recently written first, {@code pageSize} a page (keyset: the token names the
     * last tag of the previous page); a private repository is as unknown as a missing one.
     */
    public TagPage publicTags(RepoKey key, String pageToken, int pageSize) {
        Repository repo = requirePublic(key);
        RecentTag after = pageToken == null || pageToken.isEmpty() ? null : decodeTag(pageToken);
        List<RecentTag> found = meta.gallery().recentTags(repo.id(), after, pageSize + 1);
        boolean more = found.size() > pageSize;
        List<RecentTag> tags = more ? found.subList(0, pageSize) : found;
        return new TagPage(List.copyOf(tags), more ? encodeTag(tags.getLast()) : null);
    }

    static List<String> terms(String query) {
        if (query == null || query.isBlank()) {
            return List.of();
        }
        if (query.length() > MAX_QUERY_CHARS) {
            throw new ParameterInvalidException("the search text is longer than " + MAX_QUERY_CHARS + " characters", "q");
        }
        List<String> terms = Arrays.stream(query.strip().toLowerCase(Locale.ROOT).split("\\s+")).distinct().toList();
        if (terms.size() > MAX_QUERY_TERMS) {
            throw new ParameterInvalidException("the search text has more than " + MAX_QUERY_TERMS + " words", "q");
        }
        return terms;
    }

    private static String encode(RepositoryName last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(last.value().getBytes(StandardCharsets.UTF_8));
    }

    /** A tag page's token: the last tag's write time (epoch milliseconds) and name. */
    private static String encodeTag(RecentTag last) {
        String text = last.updatedAt().toEpochMilli() + ":" + last.tag().value();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static RecentTag decodeTag(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return new RecentTag(new io.wharf.core.model.Tag(text.substring(colon + 1)), null,
                    java.time.Instant.ofEpochMilli(Long.parseLong(text.substring(0, colon))));
        } catch (RuntimeException e) {
            throw new ParameterInvalidException("invalid page token", "page-token");
        }
    }

    private static RepositoryName decode(String token) {
        try {
            return RepositoryName.parse(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new ParameterInvalidException("invalid page token", "page-token");
        }
    }
}
