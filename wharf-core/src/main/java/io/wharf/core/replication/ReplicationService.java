package io.wharf.core.replication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.ImageRecord;
import io.wharf.core.spi.ReplicationIndex;
import io.wharf.core.spi.ReplicationIndex.Backfill;
import io.wharf.core.spi.ReplicationIndex.Status;
import io.wharf.core.spi.ReplicationIndex.Target;
import io.wharf.core.spi.ReplicationIndex.Task;
import io.wharf.core.spi.Repository;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replication's protocol-free operations: the configuration (validated with ECR's limits), queueing an image for
 * its destinations, per-destination status, and backfills. The copying itself is {@link ReplicationRunner}'s.
 */
public final class ReplicationService {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** A backfill with how many of the tasks it queued are in each status. */
    public record BackfillProgress(Backfill backfill, Map<Status, Long> tasks) {
    }

    private final Registry registry;
    private final ReplicationSettings settings;
    private final Clock clock;

    public ReplicationService(Registry registry, ReplicationSettings settings, Clock clock) {
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
    }

    public ReplicationSettings settings() {
        return settings;
    }

    private ReplicationIndex index() {
        return registry.metadata().replication();
    }

    /** The account's configuration; no rules when never set. */
    public ReplicationConfiguration configuration(String account) {
        return index().configuration(account).map(ReplicationService::parse).orElse(ReplicationConfiguration.EMPTY);
    }

    /**
     * Validates and stores the configuration. When it adds rules and {@code replication.backfill-on-new-rule} is on,
     * a backfill starts (the images that existed before the rule are replicated too; ECR replicates only later pushes).
     */
    public ReplicationConfiguration putConfiguration(String account, ReplicationConfiguration config) {
        config.validate(account, settings.region());
        ReplicationConfiguration before = configuration(account);
        index().putConfiguration(account, write(config), clock.instant());
        boolean added = !config.addedSince(before).destinations().isEmpty();
        if (added && settings.backfillOnNewRule()) {
            index().createBackfill(account, clock.instant());
        }
        return config;
    }

    /**
     * Queues the pushed image for every destination its repository and tags match; how many tasks were queued.
     * An image that replication itself pushed here is never queued (replication is not relayed).
     */
    public int onPush(String account, RepositoryName repository, Digest digest, String replicatedFrom) {
        if (replicatedFrom != null) {
            return 0;
        }
        ReplicationConfiguration config = configuration(account);
        if (!config.coversRepository(repository)) {
            return 0;
        }
        Optional<Repository> repo = registry.metadata().findRepository(account, repository);
        Optional<ImageRecord> image = repo.flatMap(r -> registry.metadata().findImage(r.id(), digest));
        if (image.isEmpty()) {
            return 0;
        }
        return queue(repo.get().id(), digest, config.destinationsFor(repository, tagsFor(repo.get().id(), image.get())), 0);
    }

    /** An image's tags; for an untagged referrer (a signature pushed later), its subject's, which tag filters match. */
    List<Tag> tagsFor(long repositoryId, ImageRecord image) {
        Digest subject = image.manifest().subject();
        if (!image.tags().isEmpty() || subject == null) {
            return image.tags();
        }
        return registry.metadata().findImage(repositoryId, subject).map(ImageRecord::tags).orElse(List.of());
    }

    int queue(long repositoryId, Digest digest, java.util.Collection<ReplicationConfiguration.Destination> destinations, long backfill) {
        if (destinations.isEmpty()) {
            return 0;
        }
        List<Target> targets = destinations.stream().map(d -> new Target(d.region(), d.registryId())).toList();
        return index().request(repositoryId, digest, targets, backfill, clock.instant());
    }

    /** The image's replication status per destination (empty when it was never queued). */
    public List<Task> statuses(RepoKey key, Digest digest) {
        return index().tasks(registry.repositories().get(key).id(), digest);
    }

    /** Starts a backfill of every image of the account that its configuration replicates and that is not replicated yet. */
    public BackfillProgress startBackfill(String account) {
        long id = index().createBackfill(account, clock.instant());
        return backfill(account, id).orElseThrow();
    }

    /** The backfill with its progress, when it is the account's. */
    public Optional<BackfillProgress> backfill(String account, long id) {
        return index().backfill(id).filter(b -> b.account().equals(account))
                .map(b -> new BackfillProgress(b, index().backfillProgress(id)));
    }

    /** The account's latest backfills, newest first. */
    public List<BackfillProgress> backfills(String account, int limit) {
        return index().backfills(account, limit).stream()
                .map(b -> new BackfillProgress(b, index().backfillProgress(b.id()))).toList();
    }

    static ReplicationConfiguration parse(String json) {
        try {
            return JSON.readValue(json, ReplicationConfiguration.class);
        } catch (JsonProcessingException e) {
            throw new ParameterInvalidException("stored replication configuration is unreadable: " + e.getOriginalMessage(), null);
        }
    }

    static String write(ReplicationConfiguration config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
