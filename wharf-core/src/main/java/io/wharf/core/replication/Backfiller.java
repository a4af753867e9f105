package io.wharf.core.replication;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.ImageRecord;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.ReplicationIndex.Backfill;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.TagStatus;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Advances running backfills a page of repositories at a time (by name, the cursor stored with a compare-and-set,
 * so a node taking over goes on where another stopped): each image the configuration replicates is queued for its
 * destinations unless it is already replicated there. An index's children and referrers travel with their
 * parent, so they are not queued on their own; images that came here by replication are never sent onward.
 */
final class Backfiller {
    static final int REPOSITORIES_PER_STEP = 20;
    private static final int IMAGES_PER_PAGE = 500;

    private final Registry registry;
    private final ReplicationService service;
    private final Clock clock;

    Backfiller(Registry registry, ReplicationService service, Clock clock) {
        this.registry = registry;
        this.service = service;
        this.clock = clock;
    }

    /** Steps every running backfill until each is done or {@code cancelled}; how many tasks were queued. */
    long step(BooleanSupplier cancelled) {
        long queued = 0;
        for (Backfill b : registry.metadata().replication().runningBackfills(16)) {
            Backfill current = b;
            while (current != null && !cancelled.getAsBoolean()) {
                long[] counts = new long[2];
                current = stepOne(current, counts);
                queued += counts[1];
            }
        }
        return queued;
    }

    /** One page of repositories; the backfill as it is now, or null when it is done or another node moved it. */
    private Backfill stepOne(Backfill b, long[] counts) {
        MetadataStore meta = registry.metadata();
        ReplicationConfiguration config = service.configuration(b.account());
        List<RepositoryName> names = meta.listRepositories(b.account(), b.after(), REPOSITORIES_PER_STEP);
        for (RepositoryName name : names) {
            if (config.coversRepository(name)) {
                meta.findRepository(b.account(), name).ifPresent(repo -> queueImages(config, repo, b.id(), counts));
            }
        }
        boolean done = names.size() < REPOSITORIES_PER_STEP;
        RepositoryName after = names.isEmpty() ? b.after() : names.getLast();
        if (!meta.replication().advanceBackfill(b.id(), b.after(), after, counts[0], counts[1], done, clock.instant())) {
            return null;
        }
        return done ? null : meta.replication().backfill(b.id()).orElse(null);
    }

    private void queueImages(ReplicationConfiguration config, Repository repo, long backfill, long[] counts) {
        MetadataStore meta = registry.metadata();
        Set<Digest> children = meta.indexChildren(repo.id());
        Set<Digest> replicatedIn = meta.replication().replicatedIn(repo.id()); // not relayed
        Digest after = null;
        List<ImageRecord> page;
        do {
            page = meta.listImages(repo.id(), TagStatus.ANY, after, IMAGES_PER_PAGE);
            for (ImageRecord image : page) {
                Digest digest = image.manifest().digest();
                boolean travelsWithParent = children.contains(digest) || image.manifest().subject() != null && image.tags().isEmpty();
                if (travelsWithParent || replicatedIn.contains(digest)) {
                    continue;
                }
                counts[0]++;
                counts[1] += service.queue(repo.id(), digest, config.destinationsFor(repo.name(), image.tags()), backfill);
            }
            after = page.isEmpty() ? null : page.getLast().manifest().digest();
        } while (page.size() == IMAGES_PER_PAGE);
    }
}
