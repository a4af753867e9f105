package io.wharf.server.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.core.audit.AuditTrail;

/**
 * The audit trail's writer in Prometheus terms (read from its counters at scrape time, nothing on the request path):
 * {@code wharf_audit_records_written_total}, {@code wharf_audit_records_dropped_total} (queue full),
 * {@code wharf_audit_records_lost_total} (the store refused the batch) and {@code wharf_audit_queue_records}.
 */
public final class AuditMeters {

    private AuditMeters() {
    }

    public static void bind(AuditTrail trail, MeterRegistry registry) {
        FunctionCounter.builder("wharf.audit.records.written", trail, AuditTrail::written)
                .description("Audit records written to the store").register(registry);
        FunctionCounter.builder("wharf.audit.records.dropped", trail, AuditTrail::dropped)
                .description("Audit records dropped because the writer's queue was full").register(registry);
        FunctionCounter.builder("wharf.audit.records.lost", trail, AuditTrail::lost)
                .description("Audit records lost because the store refused their batch").register(registry);
        Gauge.builder("wharf.audit.queue.records", trail, AuditTrail::queued)
                .description("Audit records waiting for the writer").register(registry);
    }
}
