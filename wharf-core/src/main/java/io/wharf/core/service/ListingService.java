package io.wharf.core.service;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import java.util.List;

/** Paginated tag and repository listings (keyset pagination: {@code last} is exclusive). */
public final class ListingService {
    private final MetadataStore meta;
    private final Repositories repositories;
    private final RegistryLimits limits;

    ListingService(MetadataStore meta, Repositories repositories, RegistryLimits limits) {
        this.meta = meta;
        this.repositories = repositories;
        this.limits = limits;
    }

    /** One page; {@code more} says whether a further page exists. */
    public record Page<T>(List<T> items, boolean more) {
        public T lastItem() {
            return items.getLast();
        }
    }

    /** Tags after {@code last}; {@code n} null means "as many as the page cap allows". */
    public Page<Tag> tags(RepoKey key, Tag last, Integer n) {
        Repository repo = repositories.require(key);
        int size = pageSize(n);
        if (size == 0) {
            return new Page<>(List.of(), false);
        }
        return page(meta.listTags(repo.id(), last, size + 1), size);
    }

    public Page<RepositoryName> catalog(String account, RepositoryName last, Integer n) {
        int size = pageSize(n);
        if (size == 0) {
            return new Page<>(List.of(), false);
        }
        return page(meta.listRepositories(account, last, size + 1), size);
    }

    private int pageSize(Integer n) {
        return n == null ? limits.maxPageSize() : Math.min(n, limits.maxPageSize());
    }

    private static <T> Page<T> page(List<T> fetched, int size) {
        return fetched.size() > size ? new Page<>(fetched.subList(0, size), true) : new Page<>(fetched, false);
    }
}
