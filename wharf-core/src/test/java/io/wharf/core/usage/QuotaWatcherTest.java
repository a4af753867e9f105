package io.wharf.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.TestManifests;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Quota warnings: once per upward crossing of the ratio, again only after the repository went back below. */
class QuotaWatcherTest {
    private static final String ACCOUNT = "123456789012";
    private static final RepositoryName APP = new RepositoryName("team/app");
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final MetadataStore store = new InMemoryMetadataStore();
    private final long repo = store.createRepository(ACCOUNT, APP, T0).id();
    private final QuotaWatcher watcher = new QuotaWatcher(store, new QuotaWatcher.Limits(10, 0, 0.8),
            Clock.fixed(T0, ZoneOffset.UTC));
    private long sequence;

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theImageQuotaWarnsOncePerCrossing() {
        for (int i = 1; i <= 7; i++) {
            push(i);
        }
        assertThat(warnings()).as("7 of 10: below 0.8").isEmpty();
        push(8);
        assertThat(warnings()).containsExactly(new RegistryEvent.QuotaWarning(ACCOUNT, APP, "IMAGES", 8, 10));
        push(9);
        watcher.handle(List.of(event(new RegistryEvent.ImagePushed(ACCOUNT, APP, image(9).digest(), null, null))));
        assertThat(warnings()).as("still over, and a batch delivered again: no second warning").hasSize(1);

        delete(9);
        delete(8);
        assertThat(warnings()).hasSize(1);
        push(8);
        assertThat(warnings()).as("a new crossing").hasSize(2);
    }

    @Test
    void theStorageQuotaWarnsOnLogicalBytes() {
        long bytes = image(1).size() + 1000 + 7;
        QuotaWatcher storage = new QuotaWatcher(store, new QuotaWatcher.Limits(0, bytes, 1.0), Clock.fixed(T0, ZoneOffset.UTC));
        store.addBlob(repo, TestManifests.blobDigest("layer"), 1000, T0);
        store.addBlob(repo, TestManifests.configOf("s1"), 7, T0);
        store.putManifest(repo, image(1), new Tag("v1"), T0);
        storage.handle(List.of(event(new RegistryEvent.ImagePushed(ACCOUNT, APP, image(1).digest(), null, null))));
        assertThat(warnings()).containsExactly(new RegistryEvent.QuotaWarning(ACCOUNT, APP, "STORAGE", bytes, bytes));
    }

    private void push(int n) {
        store.putManifest(repo, image(n), null, T0);
        watcher.handle(List.of(event(new RegistryEvent.ImagePushed(ACCOUNT, APP, image(n).digest(), null, null))));
    }

    private void delete(int n) {
        store.deleteManifest(repo, image(n).digest());
        watcher.handle(List.of(event(new RegistryEvent.ImageDeleted(ACCOUNT, APP, image(n).digest(), List.of()))));
    }

    private static io.wharf.core.model.Manifest image(int n) {
        return TestManifests.image("s" + n, List.of(TestManifests.blobDigest("layer")));
    }

    private StoredEvent event(RegistryEvent e) {
        return new StoredEvent(++sequence, T0, e);
    }

    private List<RegistryEvent.QuotaWarning> warnings() {
        return store.eventsAfter(0, 1000).stream().map(StoredEvent::event)
                .filter(RegistryEvent.QuotaWarning.class::isInstance).map(RegistryEvent.QuotaWarning.class::cast).toList();
    }
}
