package io.wharf.core.spi;

import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.gallery.CatalogData;
import io.wharf.core.model.Manifest;
import io.wharf.core.spi.GalleryIndex.Listing;
import io.wharf.core.spi.GalleryIndex.PublicRepository;
import io.wharf.core.spi.GalleryIndex.RecentTag;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link GalleryIndex}; every backend runs it. */
public abstract class GalleryIndexContract extends MetadataStoreFixture {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
    private GalleryIndex gallery;

    @BeforeEach
    void gallery() {
        gallery = store.gallery();
    }

    private static CatalogData catalog(String description, String about, List<String> architectures) {
        return CatalogData.of(description, about, "docker pull it", architectures, List.of("Linux"), null);
    }

    private List<String> names(List<String> terms) {
        return gallery.searchPublic(ACCOUNT, terms, null, 10).stream().map(p -> p.repository().name().value()).toList();
    }

    @Test
    void aRepositoryIsPrivateWithNoCatalogDataUntilSet() {
        assertThat(gallery.listing(repo)).isEmpty();
        assertThat(gallery.isPublic(ACCOUNT, name("library/app"))).isFalse();
        assertThat(gallery.isPublic(ACCOUNT, name("missing/repo"))).isFalse();
        assertThat(gallery.searchPublic(ACCOUNT, List.of(), null, 10)).isEmpty();
    }

    @Test
    void visibilityAndCatalogDataAreWrittenApartAndReadTogether() {
        CatalogData data = CatalogData.of("An app", "# About\nmarkdown", "run it", List.of("x86-64", "ARM 64"),
                List.of("Linux"), CatalogData.Logo.of(PNG));
        assertThat(gallery.putCatalogData(repo, data, at(1))).isTrue();
        assertThat(gallery.listing(repo)).contains(new Listing(false, data, at(1)));
        assertThat(gallery.isPublic(ACCOUNT, name("library/app"))).isFalse();

        assertThat(gallery.setPublic(repo, true, at(2))).isTrue();
        assertThat(gallery.listing(repo)).contains(new Listing(true, data, at(2)));
        assertThat(gallery.isPublic(ACCOUNT, name("library/app"))).isTrue();
        assertThat(gallery.isPublic(OTHER_ACCOUNT, name("library/app"))).isFalse();

        assertThat(gallery.putCatalogData(repo, CatalogData.EMPTY, at(3))).isTrue();
        assertThat(gallery.listing(repo)).contains(new Listing(true, CatalogData.EMPTY, at(3)));
        assertThat(gallery.setPublic(repo, false, at(4))).isTrue();
        assertThat(gallery.isPublic(ACCOUNT, name("library/app"))).isFalse();
    }

    @Test
    void aMissingRepositoryGetsNothingAndADeletedOneTakesItsListingAlong() {
        assertThat(gallery.setPublic(9_999, true, at(1))).isFalse();
        assertThat(gallery.putCatalogData(9_999, CatalogData.EMPTY, at(1))).isFalse();
        gallery.setPublic(repo, true, at(1));
        store.deleteRepository(repo);
        assertThat(gallery.isPublic(ACCOUNT, name("library/app"))).isFalse();
        long again = store.createRepository(ACCOUNT, name("library/app"), at(2)).id();
        assertThat(gallery.listing(again)).isEmpty();
        assertThat(gallery.isPublic(ACCOUNT, name("library/app"))).isFalse();
    }

    @Test
    void searchFindsPublicRepositoriesByEveryWordInNameOrderAndPages() {
        long db = store.createRepository(ACCOUNT, name("tools/db"), T0).id();
        long hidden = store.createRepository(ACCOUNT, name("tools/hidden"), T0).id();
        long foreign = store.createRepository(OTHER_ACCOUNT, name("tools/db"), T0).id();
        gallery.putCatalogData(repo, catalog("A web server", "Serves 100% of pages", List.of("ARM 64")), at(1));
        gallery.putCatalogData(db, catalog("A database", "Stores rows_and columns", List.of("x86-64")), at(1));
        gallery.putCatalogData(hidden, catalog("A web database", null, List.of()), at(1));
        gallery.putCatalogData(foreign, catalog("A web database", null, List.of()), at(1));
        List.of(repo, db, foreign).forEach(id -> gallery.setPublic(id, true, at(2)));

        assertThat(names(List.of())).containsExactly("library/app", "tools/db");
        assertThat(names(List.of("web"))).containsExactly("library/app");
        assertThat(names(List.of("tools"))).containsExactly("tools/db");
        assertThat(names(List.of("arm", "server"))).containsExactly("library/app");
        assertThat(names(List.of("arm", "database"))).isEmpty();
        assertThat(names(List.of("linux"))).containsExactly("library/app", "tools/db");
        assertThat(names(List.of("100%"))).as("%% is a character, not a wildcard").containsExactly("library/app");
        assertThat(names(List.of("86_64"))).as("_ is a character, not a wildcard").isEmpty();
        assertThat(names(List.of("rows_and"))).containsExactly("tools/db");

        List<PublicRepository> first = gallery.searchPublic(ACCOUNT, List.of(), null, 1);
        assertThat(first).extracting(p -> p.repository().name().value()).containsExactly("library/app");
        assertThat(first.getFirst().catalog().architectures()).containsExactly("ARM 64");
        assertThat(gallery.searchPublic(ACCOUNT, List.of(), first.getFirst().repository().name(), 5))
                .extracting(p -> p.repository().name().value()).containsExactly("tools/db");
    }

    @Test
    void recentTagsComeMostRecentlyWrittenFirst() {
        Manifest old = image("old", List.of());
        Manifest recent = image("recent", List.of());
        store.putManifest(repo, old, tag("v1"), at(1));
        store.putManifest(repo, recent, tag("v2"), at(5));
        store.putManifest(repo, recent, tag("latest"), at(5));
        assertThat(gallery.recentTags(repo, 2)).containsExactly(
                new RecentTag(tag("latest"), recent.digest(), at(5)), new RecentTag(tag("v2"), recent.digest(), at(5)));
        assertThat(gallery.recentTags(repo, 10)).extracting(RecentTag::tag)
                .containsExactly(tag("latest"), tag("v2"), tag("v1"));
        assertThat(gallery.recentTags(otherRepo, 10)).isEmpty();
    }

    @Test
    void recentTagsArePagedAfterTheLastTagOfAPage() {
        Manifest old = image("old", List.of());
        Manifest recent = image("recent", List.of());
        store.putManifest(repo, old, tag("v1"), at(1));
        store.putManifest(repo, old, tag("v0"), at(1));
        store.putManifest(repo, recent, tag("v2"), at(5));
        store.putManifest(repo, recent, tag("latest"), at(5));
        List<RecentTag> first = gallery.recentTags(repo, null, 3);
        assertThat(first).extracting(RecentTag::tag).containsExactly(tag("latest"), tag("v2"), tag("v0"));
        assertThat(gallery.recentTags(repo, first.get(0), 2)).extracting(RecentTag::tag)
                .as("same time, later name first").containsExactly(tag("v2"), tag("v0"));
        assertThat(gallery.recentTags(repo, first.getLast(), 3)).extracting(RecentTag::tag).containsExactly(tag("v1"));
        assertThat(gallery.recentTags(repo, gallery.recentTags(repo, 4).getLast(), 3)).isEmpty();
    }
}
