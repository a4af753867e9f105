package io.wharf.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.TestManifests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The on-push subscribers' shared part: only pushed images, only of repositories that still exist, in order. */
class ImagePushedSubscriberTest {
    private static final String ACCOUNT = "123456789012";
    private static final RepositoryName APP = new RepositoryName("team/app");
    private static final RepositoryName GONE = new RepositoryName("team/gone");
    private static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");

    private final MetadataStore store = new InMemoryMetadataStore();
    private final long app = store.createRepository(ACCOUNT, APP, T0).id();
    private final List<String> queued = new ArrayList<>();
    private final ImagePushedSubscriber subscriber = new ImagePushedSubscriber("on-push", store, images -> {
        images.forEach(p -> queued.add(p.repository().id() + " " + p.repository().name() + " " + p.image() + " " + p.pushedAt()));
        queued.add("end of the batch");
    });

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void queuesPushedImagesOfExistingRepositoriesOnly() {
        Digest one = TestManifests.blobDigest("one");
        Digest two = TestManifests.blobDigest("two");
        subscriber.handle(List.of(
                event(1, new RegistryEvent.ImagePushed(ACCOUNT, APP, one, null, null)),
                event(2, new RegistryEvent.RepositoryCreated(ACCOUNT, GONE)),
                event(3, new RegistryEvent.ImagePushed(ACCOUNT, GONE, one, null, null)),
                event(4, new RegistryEvent.ImagePushed("210987654321", APP, one, null, null)),
                event(5, new RegistryEvent.ImagePushed(ACCOUNT, APP, two, null, null))));

        assertThat(queued).containsExactly(app + " team/app " + one + " " + T0, app + " team/app " + two + " " + T0.plusSeconds(4),
                "end of the batch");
        assertThat(subscriber.name()).isEqualTo("on-push");
    }

    @Test
    void aBatchWithoutAPushedImageOfAnExistingRepositoryIsNotHandedToTheAction() {
        subscriber.handle(List.of(
                event(1, new RegistryEvent.RepositoryCreated(ACCOUNT, GONE)),
                event(2, new RegistryEvent.ImagePushed(ACCOUNT, GONE, TestManifests.blobDigest("one"), null, null))));
        assertThat(queued).isEmpty();
    }

    private static StoredEvent event(long sequence, RegistryEvent e) {
        return new StoredEvent(sequence, T0.plusSeconds(sequence - 1), e);
    }
}
