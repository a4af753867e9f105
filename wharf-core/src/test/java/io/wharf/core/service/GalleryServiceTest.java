package io.wharf.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.NameUnknownException;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.error.RepositoryAlreadyExistsException;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.gallery.CatalogData;
import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.testing.ManualClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link GalleryService} over the in-memory store: the domain rules the ECR Public API and the gallery rely on. */
class GalleryServiceTest {
    private static final String ACCOUNT = "123456789012";
    private final ManualClock clock = new ManualClock();
    private final InMemoryMetadataStore meta = new InMemoryMetadataStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final Registry registry = new Registry(meta, blobs, new InMemoryUploadStore(blobs, clock),
            RegistryLimits.defaults(), clock);
    private final GalleryService gallery = registry.gallery();

    private static RepoKey key(String name) {
        return new RepoKey(ACCOUNT, new RepositoryName(name));
    }

    @Test
    void createPublicWritesRepositoryVisibilityCatalogAndTagsTogether() {
        CatalogData data = CatalogData.of("desc", null, null, List.of("x86-64"), List.of(), null);
        gallery.createPublic(key("a/b"), data, Map.of("team", "web"));
        assertThat(gallery.isPublic(key("a/b"))).isTrue();
        assertThat(gallery.listing(key("a/b")).catalog()).isEqualTo(data);
        assertThat(registry.repositories().resourceTags(key("a/b"))).containsEntry("team", "web");
        assertThat(gallery.hasPublic(ACCOUNT)).isTrue();
        assertThatThrownBy(() -> gallery.createPublic(key("a/b"), data, Map.of()))
                .isInstanceOf(RepositoryAlreadyExistsException.class);
    }

    @Test
    void aPrivateRepositoryIsUnknownToThePublicOperations() {
        registry.repositories().create(key("p/q"), RepositorySettings.DEFAULTS, Map.of());
        assertThat(gallery.hasPublic(ACCOUNT)).isFalse();
        assertThatThrownBy(() -> gallery.requirePublic(key("p/q"))).isInstanceOf(NameUnknownException.class);
        assertThatThrownBy(() -> gallery.deletePublic(key("p/q"), true)).isInstanceOf(NameUnknownException.class);
        assertThatThrownBy(() -> gallery.putPublicCatalogData(key("p/q"), CatalogData.EMPTY))
                .isInstanceOf(NameUnknownException.class);
        assertThat(registry.repositories().get(key("p/q"))).isNotNull();
        assertThatThrownBy(() -> gallery.setPublic(key("no/such"), true)).isInstanceOf(NameUnknownException.class);

        gallery.setPublic(key("p/q"), true);
        assertThat(gallery.deletePublic(key("p/q"), false).name().value()).isEqualTo("p/q");
        assertThat(gallery.isPublic(key("p/q"))).isFalse();
    }

    @Test
    void searchPagesWithATokenAndBoundsItsInput() {
        for (String name : List.of("a/one", "b/two", "c/three")) {
            gallery.createPublic(key(name), CatalogData.EMPTY, Map.of());
        }
        GalleryService.Page first = gallery.search(ACCOUNT, " ", null, 2, 0);
        assertThat(first.entries()).extracting(e -> e.repository().name().value()).containsExactly("a/one", "b/two");
        GalleryService.Page second = gallery.search(ACCOUNT, null, first.nextPageToken(), 2, 0);
        assertThat(second.entries()).extracting(e -> e.repository().name().value()).containsExactly("c/three");
        assertThat(second.nextPageToken()).isNull();
        assertThat(GalleryService.terms("Web  web SERVER")).containsExactly("web", "server");
        assertThatThrownBy(() -> gallery.search(ACCOUNT, "x".repeat(257), null, 2, 0))
                .isInstanceOf(ParameterInvalidException.class);
        assertThatThrownBy(() -> gallery.search(ACCOUNT, null, "not a token!", 2, 0))
                .isInstanceOf(ParameterInvalidException.class);
    }

    @Test
    void aPublicRepositorysTagsArePagedMostRecentFirstAndAPrivateOnesAreUnknown() {
        long id = gallery.createPublic(key("web/app"), CatalogData.EMPTY, Map.of()).id();
        for (int i = 0; i < 3; i++) {
            meta.putManifest(id, io.wharf.core.spi.TestManifests.image("m" + i, List.of()),
                    new io.wharf.core.model.Tag("v" + i), java.time.Instant.ofEpochSecond(100 + i));
        }
        GalleryService.TagPage first = gallery.publicTags(key("web/app"), null, 2);
        assertThat(first.tags()).extracting(t -> t.tag().value()).containsExactly("v2", "v1");
        GalleryService.TagPage second = gallery.publicTags(key("web/app"), first.nextPageToken(), 2);
        assertThat(second.tags()).extracting(t -> t.tag().value()).containsExactly("v0");
        assertThat(second.nextPageToken()).isNull();
        assertThatThrownBy(() -> gallery.publicTags(key("web/app"), "bm90LWEtdG9rZW4", 2))
                .isInstanceOf(ParameterInvalidException.class);
        registry.repositories().create(key("p/q"), RepositorySettings.DEFAULTS, Map.of());
        assertThatThrownBy(() -> gallery.publicTags(key("p/q"), null, 2)).isInstanceOf(NameUnknownException.class);
    }

    @Test
    void catalogDataLimitsAreTheModelsAndTheLogoIsPngOrJpeg() {
        assertThatThrownBy(() -> CatalogData.of("x".repeat(1025), null, null, null, null, null))
                .isInstanceOf(ParameterInvalidException.class);
        assertThatThrownBy(() -> CatalogData.of(null, null, null, List.of("a\nb"), null, null))
                .isInstanceOf(ParameterInvalidException.class);
        assertThatThrownBy(() -> CatalogData.Logo.of(new byte[CatalogData.Logo.MAX_BYTES + 1]))
                .isInstanceOf(ParameterInvalidException.class);
        assertThat(CatalogData.Logo.of(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}).mediaType())
                .isEqualTo("image/jpeg");
        assertThat(CatalogData.of(" ", "", null, null, null, null)).isEqualTo(CatalogData.EMPTY);
    }

    @Test
    void aVisibilityChangeWritesItsEventAndSettingTheSameVisibilityWritesNone() {
        registry.repositories().create(key("v/w"), RepositorySettings.DEFAULTS, Map.of());
        long before = lastSequence();
        gallery.setPublic(key("v/w"), false); // already private
        gallery.setPublic(key("v/w"), true);
        gallery.setPublic(key("v/w"), true);
        gallery.setPublic(key("v/w"), false);
        gallery.createPublic(key("x/y"), CatalogData.EMPTY, Map.of());
        assertThat(meta.eventsAfter(before, 100)).extracting(e -> e.event()).containsExactly(
                new RegistryEvent.RepositoryVisibilityChanged(ACCOUNT, new RepositoryName("v/w"), true),
                new RegistryEvent.RepositoryVisibilityChanged(ACCOUNT, new RepositoryName("v/w"), false),
                new RegistryEvent.RepositoryCreated(ACCOUNT, new RepositoryName("x/y")),
                new RegistryEvent.RepositoryVisibilityChanged(ACCOUNT, new RepositoryName("x/y"), true));
    }

    private long lastSequence() {
        List<io.wharf.core.event.StoredEvent> all = meta.eventsAfter(0, 10_000);
        return all.isEmpty() ? 0 : all.getLast().sequence();
    }
}
