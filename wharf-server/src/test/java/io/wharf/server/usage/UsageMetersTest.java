package io.wharf.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.MetadataStore;
import io.wharf.server.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The usage gauges as scraped: exact values, the repository label capped with the rest under {@code _other}. */
class UsageMetersTest {
    private static final String ACCOUNT = "123456789012";
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void theLargestRepositoriesHaveTheirOwnLabelTheRestAreOther() {
        MetadataStore store = new InMemoryMetadataStore();
        link(store, "big", 5000);
        link(store, "middle", 3000);
        link(store, "small", 100);
        link(store, "tiny", 10);
        Metrics metrics = new Metrics();
        UsageMeters.register(metrics.registry(), store, Duration.ofMinutes(1), 2);

        Map<String, Double> samples = parse(metrics.registry().scrape());
        assertThat(samples).containsEntry("wharf_repository_stored_bytes{account=\"123456789012\",repository=\"big\"}", 5000.0)
                .containsEntry("wharf_repository_stored_bytes{account=\"123456789012\",repository=\"middle\"}", 3000.0)
                .containsEntry("wharf_repository_stored_bytes{account=\"_other\",repository=\"_other\"}", 110.0)
                .containsEntry("wharf_repository_images{account=\"_other\",repository=\"_other\"}", 0.0)
                .containsEntry("wharf_registry_stored_bytes", 8110.0)
                .containsEntry("wharf_registry_images", 0.0);
        assertThat(samples.keySet().stream().filter(k -> k.startsWith("wharf_repository_stored_bytes{"))).hasSize(3);

        link(store, "huge", 9000);
        assertThat(parse(metrics.registry().scrape())).as("cached for a minute")
                .containsEntry("wharf_registry_stored_bytes", 8110.0);
        store.close();
    }

    private static void link(MetadataStore store, String name, long size) {
        long id = store.createRepository(ACCOUNT, new RepositoryName(name), T0).id();
        store.addBlob(id, Digest.sha256Of(name.getBytes(StandardCharsets.UTF_8)), size, T0);
    }

    /** Sample lines of the text format: {@code name{labels}} to value; comments and blank lines skipped. */
    private static Map<String, Double> parse(String text) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }
}
