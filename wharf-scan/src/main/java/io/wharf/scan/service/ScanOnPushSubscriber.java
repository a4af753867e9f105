package io.wharf.scan.service;

import io.wharf.core.event.EventSubscriber;
import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.service.Registry;
import java.util.List;

/**
 * {@value #NAME}: records a PENDING scan for every pushed image whose repository's configuration scans on push
 * (a registry rule, or the deprecated repository flag when the registry has no rules). SBOMs, signatures and other
 * artifacts are not scanned. Idempotent: a redelivered event finds the scan already queued or done.
 */
public final class ScanOnPushSubscriber implements EventSubscriber {
    public static final String NAME = "scan-on-push";

    private final Registry registry;
    private final ScanService scans;

    public ScanOnPushSubscriber(Registry registry, ScanService scans) {
        this.registry = registry;
        this.scans = scans;
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
                        .ifPresent(repo -> scans.requestOnPush(repo, e.digest()));
            }
        }
    }
}
