package io.wharf.server.audit;

import io.wharf.core.audit.AuditTrail;
import io.wharf.core.spi.MetadataStore;
import io.wharf.server.config.WharfConfig;

/** Builds the audit trail's writer from {@code audit.*}. */
public final class AuditWiring {

    private AuditWiring() {
    }

    /** The writer (started), or null when {@code audit.enabled} is false. */
    public static AuditTrail trail(WharfConfig config, MetadataStore metadata) {
        WharfConfig.Audit a = config.audit();
        return a.enabled() ? new AuditTrail(metadata.audit(), new AuditTrail.Settings(a.queueCapacity(), a.batchSize(),
                a.maxDelay())) : null;
    }
}
