package io.wharf.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wharf.core.audit.AuditRecord;
import io.wharf.core.audit.AuditTrail;
import io.wharf.core.memory.InMemoryMetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditMetersTest {

    @Test
    void theWritersCountersAreScrapedWithPrometheusNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AuditTrail trail = new AuditTrail(new InMemoryMetadataStore().audit(),
                new AuditTrail.Settings(10, 10, Duration.ofMillis(10)));
        AuditMeters.bind(trail, registry);
        for (int i = 0; i < 3; i++) {
            trail.offer(new AuditRecord("e" + i, Instant.now(), "wharf", "GET jobs", "us-east-1", "000000000000",
                    AuditRecord.UserIdentity.unknown(null), "127.0.0.1", null, null, Map.of(), null, null, null, null, true));
        }
        trail.close(Duration.ofSeconds(5));
        String scrape = registry.scrape();
        assertThat(scrape).contains("wharf_audit_records_written_total 3.0")
                .contains("wharf_audit_records_dropped_total 0.0").contains("wharf_audit_records_lost_total 0.0")
                .contains("wharf_audit_queue_records 0.0");
    }
}
