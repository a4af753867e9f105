package io.wharf.core.event;

import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A subscriber that queues work for every pushed image whose repository still exists (scan on push, layer insight):
 * the other events pass by. The action gets a batch's images together, so that it can queue them in one write and
 * wake its job once. It must be idempotent, as every subscriber's: a redelivered event finds its work queued or done.
 */
public final class ImagePushedSubscriber implements EventSubscriber {

    /** A pushed image; {@code pushedAt} is when the push's event was written, with the push. */
    public record Pushed(Repository repository, Digest image, Instant pushedAt) {
    }

    /** What to queue for a batch's pushed images (called only when there is at least one). */
    @FunctionalInterface
    public interface Action {
        void pushed(List<Pushed> images);
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
        List<Pushed> pushed = new ArrayList<>();
        for (StoredEvent stored : batch) {
            if (stored.event() instanceof ImagePushed e) {
                metadata.findRepository(e.account(), e.repository())
                        .ifPresent(r -> pushed.add(new Pushed(r, e.digest(), stored.at())));
            }
        }
        if (!pushed.isEmpty()) {
            action.pushed(pushed);
        }
    }
}
