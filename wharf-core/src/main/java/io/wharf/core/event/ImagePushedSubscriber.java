package io.wharf.core.event;

import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A subscriber that queues work for every pushed image whose repository still exists (scan on push, layer insight):
 * the other events pass by. The action must be idempotent, as every subscriber's: a redelivered event finds its
 * work queued or done.
 */
public final class ImagePushedSubscriber implements EventSubscriber {

    /** What to queue for a pushed image; {@code pushedAt} is when the push's event was written, with the push. */
    @FunctionalInterface
    public interface Action {
        void pushed(Repository repository, Digest image, Instant pushedAt);
    }

    private final String name;
    private final MetadataStore metadata;
    private final Action action;
    private final Runnable afterBatch;

    public ImagePushedSubscriber(String name, MetadataStore metadata, Action action) {
        this(name, metadata, action, () -> { });
    }

    /** @param afterBatch runs once after a batch that handed the action at least one image (e.g. wakes its job) */
    public ImagePushedSubscriber(String name, MetadataStore metadata, Action action, Runnable afterBatch) {
        this.name = name;
        this.metadata = metadata;
        this.action = action;
        this.afterBatch = afterBatch;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void handle(List<StoredEvent> batch) {
        boolean handed = false;
        for (StoredEvent stored : batch) {
            if (stored.event() instanceof ImagePushed e) {
                Optional<Repository> repo = metadata.findRepository(e.account(), e.repository());
                repo.ifPresent(r -> action.pushed(r, e.digest(), stored.at()));
                handed |= repo.isPresent();
            }
        }
        if (handed) {
            afterBatch.run();
        }
    }
}
