package io.wharf.scan.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.spi.InsightIndex;
import io.wharf.core.spi.InsightIndex.QueuedImage;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.testing.TestImages;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A round of the insight job that fails says why, even when finishing its queue entries fails after it. */
class InsightRoundFailureTest {
    private static final RepoKey KEY = new RepoKey("000000000000", RepositoryName.parse("team/app"));
    private final Clock clock = Clock.systemUTC();
    private final InMemoryMetadataStore real = new InMemoryMetadataStore();

    @Test
    void theRoundsOwnFailureIsThrownWithTheFailedFinishAddedToIt() {
        RuntimeException reading = new IllegalStateException("reading the manifest failed");
        RuntimeException finishing = new IllegalStateException("finishing the round failed");
        InsightIndex insights = proxy(InsightIndex.class, real.insights(), "finishInsightRequests", finishing);
        MetadataStore meta = proxy(MetadataStore.class, real, "findManifest", reading, "insights", insights);
        LayerInsightService service = queuedImageIn(meta);

        assertThatThrownBy(() -> service.runQueued(() -> false)).isSameAs(reading)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(finishing));
    }

    @Test
    void aFinishThatFailsAfterAGoodRoundIsTheRoundsFailure() {
        RuntimeException finishing = new IllegalStateException("finishing the round failed");
        InsightIndex insights = proxy(InsightIndex.class, real.insights(), "finishInsightRequests", finishing);
        LayerInsightService service = queuedImageIn(proxy(MetadataStore.class, real, "insights", insights,
                "findManifest", Optional.empty()));

        // the image's manifest is not found (nothing to read): the round takes it as done, then cannot record that
        assertThatThrownBy(() -> service.runQueued(() -> false)).isSameAs(finishing);
        assertThat(real.insights().insightRequests(10)).as("still queued for the next round").hasSize(1);
    }

    /** An image pushed to the real store and queued for insight; the service reads through {@code meta}. */
    private LayerInsightService queuedImageIn(MetadataStore meta) {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        Registry setUp = new Registry(real, blobs, new InMemoryUploadStore(blobs, clock), RegistryLimits.defaults(), clock);
        Repository repository = setUp.repositories().create(KEY, RepositorySettings.DEFAULTS, Map.of());
        Digest image = TestImages.pushOneLayer(setUp, KEY, new Tag("v1"), "not read");
        assertThat(real.insights().requestInsights(List.of(new QueuedImage(repository.id(), image)), clock.instant()))
                .isEqualTo(1);
        Registry registry = new Registry(meta, blobs, new InMemoryUploadStore(blobs, clock), RegistryLimits.defaults(), clock);
        return new LayerInsightService(registry, InsightSettings.DEFAULTS, clock, () -> { });
    }

    /**
     * {@code target} as {@code type}, but the methods named: a RuntimeException given for one is thrown, anything
     * else is returned.
     */
    private static <T> T proxy(Class<T> type, T target, Object... overrides) {
        Map<Object, Object> byName = new java.util.HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            byName.put(overrides[i], overrides[i + 1]);
        }
        InvocationHandler handler = (self, method, args) -> {
            Object override = byName.get(method.getName());
            if (override instanceof RuntimeException e) {
                throw e;
            }
            if (override != null) {
                return override;
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
