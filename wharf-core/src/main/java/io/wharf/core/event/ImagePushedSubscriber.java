package io.wharf.core.event;

import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import java.util.List;

/**
 * A subscriber that queues work for every pushed image whose repository still exists (scan on push, layer insight):
 * the other events pass by. The action must be idempotent, as every subscriber's: a redelivered event finds its
 * work queued or done.
 */
public final class ImagePushedSubscriber implements EventSubscriber {

    /** What to queue for a pushed image. */
    @FunctionalInterface
    public interface Action {
        void pushed(Repository repository, Digest image);
    }

    private final String name;
    private final MetadataStore metadata;
    private final Action action;

    public ImagePushedSubscriber(String name, MetadataStore metadata, Action action) {
        this.name = name;
        this.metadata = metadata;
        this.action = action;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void handle(List<StoredEvent> batch) {
        for (StoredEvent stored : batch) {
            if (stored.event() instanceof ImagePushed e) {
                metadata.findRepository(e.account(), e.repository()).ifPresent(repo -> action.pushed(repo, e.digest()));
            }
        }
    }
}
