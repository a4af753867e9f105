package io.wharf.core.replication;

import io.wharf.core.event.EventSubscriber;
import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.event.StoredEvent;
import java.util.List;

/**
 * {@value #NAME}: records one replication task per destination for every pushed image its account's configuration
 * replicates (fast: the copy is the job's), then wakes the job so latency is not bounded by its interval. Images
 * that replication pushed here are skipped (not relayed). Idempotent: a redelivered event finds the task waiting.
 */
public final class ReplicationSubscriber implements EventSubscriber {
    public static final String NAME = "replication";

    private final ReplicationService service;
    private final Runnable wake;

    public ReplicationSubscriber(ReplicationService service, Runnable wake) {
        this.service = service;
        this.wake = wake;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void handle(List<StoredEvent> batch) {
        int queued = 0;
        for (StoredEvent stored : batch) {
            if (stored.event() instanceof ImagePushed e) {
                queued += service.onPush(e.account(), e.repository(), e.digest(), e.replicatedFrom());
            }
        }
        if (queued > 0) {
            wake.run();
        }
    }
}
