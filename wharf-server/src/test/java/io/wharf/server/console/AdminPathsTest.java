package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.console.ConsolePath.Kind;
import org.junit.jupiter.api.Test;

/** The administration pages' paths taken apart, and the URLs built for them parsing back to the same page. */
class AdminPathsTest {

    private static void parses(String path, Kind kind, String name, String user, String key) {
        ConsolePath p = ConsolePath.parse(path);
        assertThat(p).as(path).isNotNull();
        assertThat(p.kind()).as(path).isEqualTo(kind);
        assertThat(p.name()).as(path).isEqualTo(name);
        assertThat(p.user()).as(path).isEqualTo(user);
        assertThat(p.key()).as(path).isEqualTo(key);
    }

    @Test
    void repositoryPolicyPagesFollowTheNameAfterItsSeparator() {
        parses("/console/repositories/team/app/-/policy", Kind.REPOSITORY_POLICY, "team/app", null, null);
        parses("/console/repositories/app/-/policy/delete", Kind.DELETE_REPOSITORY_POLICY, "app", null, null);
        parses("/console/repositories/a/b/c/-/lifecycle", Kind.LIFECYCLE_POLICY, "a/b/c", null, null);
        parses("/console/repositories/app/-/lifecycle/delete", Kind.DELETE_LIFECYCLE_POLICY, "app", null, null);
        parses("/console/repositories/app/-/lifecycle/preview", Kind.LIFECYCLE_PREVIEW, "app", null, null);
        parses(AdminPaths.lifecyclePreview("x/y"), Kind.LIFECYCLE_PREVIEW, "x/y", null, null);
        parses("/console/repositories/app/-/images/sha256:ab/delete", Kind.DELETE_IMAGE, "app", null, null);
        parses("/console/repositories/app/-/lifecycle/other", Kind.UNKNOWN, null, null, null);
    }

    @Test
    void userPagesNameTheUserAndKey() {
        parses("/console/settings", Kind.SETTINGS, null, null, null);
        parses("/console/settings/registry-policy", Kind.REGISTRY_POLICY, null, null, null);
        parses(AdminPaths.deleteRegistryPolicy(), Kind.DELETE_REGISTRY_POLICY, null, null, null);
        parses("/console/users", Kind.USERS, null, null, null);
        parses("/console/users/ci@team", Kind.USER, null, "ci@team", null);
        parses("/console/users/ci/delete", Kind.DELETE_USER, null, "ci", null);
        parses("/console/users/ci/policies", Kind.USER_POLICY, null, "ci", null);
        parses("/console/users/ci/keys", Kind.ACCESS_KEYS, null, "ci", null);
        parses(AdminPaths.accessKey("ci", "AKIAEXAMPLEEXAMPLE12", "status"), Kind.ACCESS_KEY_STATUS, null, "ci",
                "AKIAEXAMPLEEXAMPLE12");
        parses("/console/users/ci/keys/AKIAX/delete", Kind.DELETE_ACCESS_KEY, null, "ci", "AKIAX");
        for (String unknown : new String[] {"/console/users/", "/console/users/ci/", "/console/users/ci/keys/",
                "/console/users/ci/keys//delete", "/console/users/ci/keys/K/other", "/console/users/ci/nope",
                "/console/users/ci/keys/K/delete/more"}) {
            parses(unknown, Kind.UNKNOWN, null, null, null);
        }
        assertThat(AdminPaths.parse("/console/usersx")).isNull();
        assertThat(AdminPaths.parse("/console/repositories/app")).isNull();
    }
}
