package io.wharf.scan.insight;

import io.wharf.core.event.EventSubscriber;
import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.service.Registry;
import java.util.List;

/**
 * {@value #NAME}: queues every pushed image for layer insight (the {@code insight} job reads the layers that have no
 * record yet; artifacts without tar layers are dropped by it). Idempotent: a redelivered event finds the image
 * queued, or its layers read.
 */
public final class InsightOnPushSubscriber implements EventSubscriber {
    public static final String NAME = "insight-on-push";

    private final Registry registry;
    private final LayerInsightService insight;

    public InsightOnPushSubscriber(Registry registry, LayerInsightService insight) {
        this.registry = registry;
        this.insight = insight;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void handle(List<StoredEvent> batch) {
        for (StoredEvent stored : batch) {
            if (stored.event() instanceof ImagePushed e) {
                registry.metadata().findRepository(e.account(), e.repository())
                        .ifPresent(repo -> insight.request(repo, e.digest()));
            }
        }
    }
}
