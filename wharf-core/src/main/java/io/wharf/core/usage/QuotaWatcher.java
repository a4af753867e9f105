package io.wharf.core.usage;

import io.wharf.core.event.EventSubscriber;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.QuotaKind;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.RepositoryUsage;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link RegistryEvent.QuotaWarning} when a repository's images or stored bytes cross {@code warnRatio} of
 * their quota upward. An outbox subscriber: after the events of a batch that change what a repository holds, it reads
 * that repository's counters (a primary-key read) and records the crossing with {@link MetadataStore#markQuota}, in
 * one transaction with the warning, so that a warning is written once per crossing even when a batch is delivered
 * again or several nodes run. Blob uploads alone have no event: a storage crossing they cause is seen at the next
 * push or delete in the repository.
 */
public final class QuotaWatcher implements EventSubscriber {
    public static final String NAME = "usage-quota";

    /**
     * @param imagesPerRepository ECR's image quota ({@code quotas.images-per-repository}); 0: none
     * @param storageQuotaBytes   {@code usage.storage-quota-bytes} per repository, on manifests and linked blobs; 0: none
     * @param warnRatio           {@code usage.warn-ratio}, in (0, 1]
     */
    public record Limits(long imagesPerRepository, long storageQuotaBytes, double warnRatio) {
    }

    private final MetadataStore store;
    private final Limits limits;
    private final Clock clock;

    public QuotaWatcher(MetadataStore store, Limits limits, Clock clock) {
        this.store = store;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void handle(List<StoredEvent> batch) {
        Set<Map.Entry<String, RepositoryName>> touched = new LinkedHashSet<>();
        for (StoredEvent stored : batch) {
            switch (stored.event()) {
                case RegistryEvent.ImagePushed e -> touched.add(Map.entry(e.account(), e.repository()));
                case RegistryEvent.ImageDeleted e -> touched.add(Map.entry(e.account(), e.repository()));
                case RegistryEvent.ImageExpired e -> touched.add(Map.entry(e.account(), e.repository()));
                default -> { }
            }
        }
        touched.forEach(t -> store.findRepository(t.getKey(), t.getValue()).ifPresent(this::check));
    }

    private void check(Repository repo) {
        RepositoryUsage usage = store.repositoryUsage(repo.id()).orElse(null);
        if (usage != null) {
            check(repo, QuotaKind.IMAGES, usage.images(), limits.imagesPerRepository());
            check(repo, QuotaKind.STORAGE, usage.logicalBytes(), limits.storageQuotaBytes());
        }
    }

    private void check(Repository repo, QuotaKind kind, long used, long limit) {
        if (limit <= 0) {
            return;
        }
        boolean over = used >= Math.ceil(limit * limits.warnRatio());
        store.inTransaction("quota warning", unit -> {
            if (store.markQuota(repo.id(), kind, over) && over) {
                unit.emit(new RegistryEvent.QuotaWarning(repo.account(), repo.name(), kind.name(), used, limit),
                        clock.instant());
            }
            return null;
        });
    }
}
