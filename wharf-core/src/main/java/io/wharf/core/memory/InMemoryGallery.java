package io.wharf.core.memory;

import io.wharf.core.gallery.CatalogData;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.GalleryIndex;
import io.wharf.core.spi.Repository;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link GalleryIndex} in memory: listings by repository id, under the store's monitor (units of work hold it). */
final class InMemoryGallery implements GalleryIndex {
    private final InMemoryMetadataStore store;
    private final Map<Long, Listing> listings = new HashMap<>();

    InMemoryGallery(InMemoryMetadataStore store) {
        this.store = store;
    }

    @Override
    public Optional<Listing> listing(long repositoryId) {
        synchronized (store) {
            return Optional.ofNullable(listings.get(repositoryId));
        }
    }

    @Override
    public boolean setPublic(long repositoryId, boolean isPublic, Instant now) {
        synchronized (store) {
            CatalogData catalog = listing(repositoryId).map(Listing::catalog).orElse(CatalogData.EMPTY);
            return put(repositoryId, new Listing(isPublic, catalog, now));
        }
    }

    @Override
    public boolean putCatalogData(long repositoryId, CatalogData catalog, Instant now) {
        synchronized (store) {
            boolean isPublic = listing(repositoryId).map(Listing::isPublic).orElse(false);
            return put(repositoryId, new Listing(isPublic, catalog, now));
        }
    }

    private boolean put(long repositoryId, Listing listing) {
        if (store.repositoryById(repositoryId).isEmpty()) {
            return false;
        }
        listings.put(repositoryId, listing);
        return true;
    }

    @Override
    public boolean isPublic(String account, RepositoryName name) {
        synchronized (store) {
            return store.findRepository(account, name).map(r -> listings.get(r.id()))
                    .map(Listing::isPublic).orElse(false);
        }
    }

    @Override
    public List<PublicRepository> searchPublic(String account, List<String> terms, RepositoryName after, int limit) {
        synchronized (store) {
            return store.describeRepositories(account, after, Integer.MAX_VALUE).stream()
                    .filter(r -> listings.containsKey(r.id()) && listings.get(r.id()).isPublic())
                    .map(r -> new PublicRepository(r, listings.get(r.id()).catalog()))
                    .filter(p -> p.catalog().matches(p.repository().name().value(), terms))
                    .limit(Math.max(limit, 0)).toList();
        }
    }

    @Override
    public List<RecentTag> recentTags(long repositoryId, RecentTag after, int limit) {
        return store.recentTags(repositoryId, after, limit);
    }

    /** The repository was deleted: its listing goes with it. */
    void forget(Repository repository) {
        listings.remove(repository.id());
    }
}
