package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.console.ConsolePath.Kind;
import org.junit.jupiter.api.Test;

class PagePathsTest {
    private static final String D = "sha256:" + "a".repeat(64);

    @Test
    void galleryAndInsightPathsNameTheirRepositoryAndDigest() {
        assertThat(ConsolePath.parse("/console/gallery")).isEqualTo(new ConsolePath(Kind.GALLERY, null, null));
        assertThat(ConsolePath.parse("/console/gallery/").kind()).isEqualTo(Kind.GALLERY);
        assertThat(ConsolePath.parse("/console/gallery/web/nginx"))
                .isEqualTo(new ConsolePath(Kind.GALLERY_REPOSITORY, "web/nginx", null));
        assertThat(ConsolePath.parse("/console/repositories/team/app/-/images/" + D + "/insight"))
                .isEqualTo(new ConsolePath(Kind.INSIGHT, "team/app", D));
        assertThat(ConsolePath.parse("/console/repositories/team/app/-/images/" + D + "/insight/tree"))
                .isEqualTo(new ConsolePath(Kind.INSIGHT_TREE, "team/app", D));
    }

    @Test
    void theUrlsItBuildsParseBack() {
        assertThat(ConsolePath.parse(PagePaths.gallery()).kind()).isEqualTo(Kind.GALLERY);
        assertThat(ConsolePath.parse(PagePaths.galleryRepository("a/b")))
                .isEqualTo(new ConsolePath(Kind.GALLERY_REPOSITORY, "a/b", null));
        assertThat(ConsolePath.parse(PagePaths.insight("a/b", D))).isEqualTo(new ConsolePath(Kind.INSIGHT, "a/b", D));
        assertThat(ConsolePath.parse(PagePaths.tree("a/b", D))).isEqualTo(new ConsolePath(Kind.INSIGHT_TREE, "a/b", D));
    }

    @Test
    void onlyTheGalleryIsPublicAndOtherTailsStayTheirs() {
        assertThat(PagePaths.isPublic(Kind.GALLERY)).isTrue();
        assertThat(PagePaths.isPublic(Kind.GALLERY_REPOSITORY)).isTrue();
        assertThat(PagePaths.isPublic(Kind.INSIGHT)).isFalse();
        assertThat(PagePaths.isPublic(Kind.REPOSITORIES)).isFalse();
        assertThat(ConsolePath.parse("/console/repositories/a/-/images/" + D + "/insight/x").kind())
                .isEqualTo(Kind.UNKNOWN);
        assertThat(ConsolePath.parse("/console/repositories/a/-/images//insight").kind()).isEqualTo(Kind.UNKNOWN);
        assertThat(ConsolePath.parse("/console/repositories/team/insight").kind()).isEqualTo(Kind.IMAGES);
        assertThat(ConsolePath.parse("/console/repositories/a/-/images/" + D + "/delete").kind())
                .isEqualTo(Kind.DELETE_IMAGE);
        assertThat(ConsolePath.parse("/console/galleryx").kind()).isEqualTo(Kind.UNKNOWN);
    }
}
