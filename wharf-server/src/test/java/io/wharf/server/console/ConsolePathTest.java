package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.console.ConsolePath.Kind;
import org.junit.jupiter.api.Test;

class ConsolePathTest {
    private static final String D = "sha256:" + "a".repeat(64);

    @Test
    void pathsNameTheirPageRepositoryAndDigest() {
        assertThat(ConsolePath.parse("/console")).isEqualTo(new ConsolePath(Kind.REPOSITORIES, null, null, null));
        assertThat(ConsolePath.parse("/console/").kind()).isEqualTo(Kind.REPOSITORIES);
        assertThat(ConsolePath.parse("/console/sign-in").kind()).isEqualTo(Kind.SIGN_IN);
        assertThat(ConsolePath.parse("/console/sign-out").kind()).isEqualTo(Kind.SIGN_OUT);
        assertThat(ConsolePath.parse("/console/static/console.css"))
                .isEqualTo(new ConsolePath(Kind.STATIC, null, null, "console.css"));
        assertThat(ConsolePath.parse("/console/repositories/team/app"))
                .isEqualTo(new ConsolePath(Kind.IMAGES, "team/app", null, null));
        assertThat(ConsolePath.parse("/console/repositories/team/app/-/images/" + D))
                .isEqualTo(new ConsolePath(Kind.IMAGE, "team/app", D, null));
        assertThat(ConsolePath.parse("/console/repositories/team/app/-/images/" + D + "/delete"))
                .isEqualTo(new ConsolePath(Kind.DELETE_IMAGE, "team/app", D, null));
    }

    @Test
    void theUrlsItBuildsParseBack() {
        assertThat(ConsolePath.parse(ConsolePath.images("a/b"))).isEqualTo(new ConsolePath(Kind.IMAGES, "a/b", null, null));
        assertThat(ConsolePath.parse(ConsolePath.image("a/b", D))).isEqualTo(new ConsolePath(Kind.IMAGE, "a/b", D, null));
        assertThat(ConsolePath.parse(ConsolePath.deleteImage("a/b", D)).kind()).isEqualTo(Kind.DELETE_IMAGE);
    }

    @Test
    void otherPathsAreUnknownOrNotTheConsoles() {
        assertThat(ConsolePath.parse("/consolex")).isNull();
        assertThat(ConsolePath.parse("/v2/console/")).isNull();
        assertThat(ConsolePath.parse("/")).isNull();
        assertThat(ConsolePath.parse("/console/repositories/").kind()).isEqualTo(Kind.UNKNOWN);
        assertThat(ConsolePath.parse("/console/repositories/a/-/images/" + D + "/x").kind()).isEqualTo(Kind.UNKNOWN);
        assertThat(ConsolePath.parse("/console/elsewhere").kind()).isEqualTo(Kind.UNKNOWN);
    }
}
