package io.wharf.scan.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.model.Tag;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.Repository;
import io.wharf.core.testing.ManualClock;
import io.wharf.core.testing.TestImages;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scan on push goes by the configuration in force when the image was pushed, however late the push's event is
 * handled: turned on or off, or the registry's rules changed, after the push, the push is not scanned on push.
 */
class ScanOnPushTest {
    private static final String ACCOUNT = "000000000000";
    private static final RepoKey KEY = new RepoKey(ACCOUNT, RepositoryName.parse("team/app"));

    private final ManualClock clock = new ManualClock();
    private final InMemoryMetadataStore meta = new InMemoryMetadataStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final Registry registry = new Registry(meta, blobs, new InMemoryUploadStore(blobs, clock),
            RegistryLimits.defaults(), clock);
    private final ScanService scans = new ScanService(registry, ScanSettings.DEFAULTS, clock);

    @Test
    void theRepositoryFlagAppliesToThePushesAfterItWasSet() {
        registry.repositories().create(KEY, RepositorySettings.DEFAULTS, Map.of());
        Push before = push("before");
        later();
        registry.repositories().setScanOnPush(KEY, true);
        later();
        Push after = push("after");

        assertThat(requestOnPush(before)).as("pushed before the flag was set").isFalse();
        assertThat(requestOnPush(after)).isTrue();
        assertThat(meta.scans().findScan(repository().id(), before.image())).isEmpty();
        assertThat(meta.scans().findScan(repository().id(), after.image())).isPresent();

        later();
        Push on = push("while on");
        later();
        registry.repositories().setScanOnPush(KEY, false);
        assertThat(requestOnPush(on))
                .as("the flag went off before the event was handled: what was in force is not known any more").isFalse();
    }

    @Test
    void theRegistryRulesApplyToThePushesAfterTheyWerePut() {
        registry.repositories().create(KEY, RepositorySettings.DEFAULTS, Map.of());
        Push before = push("before");
        later();
        scans.putRegistryConfiguration(ACCOUNT, ScanningConfiguration.BASIC, List.of(new ScanningConfiguration.Rule(
                ScanningConfiguration.SCAN_ON_PUSH, List.of(new ScanningConfiguration.Filter("team/*", "WILDCARD")))));
        later();
        Push after = push("after");

        assertThat(requestOnPush(before)).isFalse();
        assertThat(requestOnPush(after)).isTrue();
        assertThat(requestOnPush(after)).as("a redelivered event queues nothing more").isFalse();
    }

    /** An image pushed, and when: what the push's event carries. */
    private record Push(Digest image, Instant at) {
    }

    private boolean requestOnPush(Push push) {
        return scans.requestOnPush(repository(), push.image(), push.at());
    }

    private void later() {
        clock.advance(Duration.ofMillis(5));
    }

    private Repository repository() {
        return meta.findRepository(ACCOUNT, KEY.name()).orElseThrow();
    }

    /** Pushes an image (a distinct layer per marker) now. */
    private Push push(String marker) {
        return new Push(TestImages.pushOneLayer(registry, KEY, new Tag("v1"), marker), clock.instant());
    }
}
