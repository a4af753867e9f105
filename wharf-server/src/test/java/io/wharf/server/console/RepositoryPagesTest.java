package io.wharf.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.RepositoryName;
import org.junit.jupiter.api.Test;

/** Where a prefix search's keyset scan starts: a valid name on the near side of every name with the prefix. */
class RepositoryPagesTest {

    private static String value(RepositoryName name) {
        return name == null ? null : name.value();
    }

    @Test
    void anAscendingScanStartsJustBelowThePrefix() {
        assertThat(value(RepositoryPages.before(""))).isNull();
        assertThat(value(RepositoryPages.before("team/ap"))).isEqualTo("team/ao");
        assertThat(value(RepositoryPages.before("b"))).isEqualTo("a");
        assertThat(value(RepositoryPages.before("a"))).isNull();
        assertThat(value(RepositoryPages.before("team/"))).isEqualTo("team");
        for (String prefix : new String[] {"team/ap", "b", "a", "team/", "x-", "0"}) {
            RepositoryName start = RepositoryPages.before(prefix);
            if (start != null) {
                assertThat(start.value()).as(prefix).isLessThan(prefix);
            }
        }
    }

    @Test
    void aDescendingScanStartsJustAboveEveryNameWithThePrefix() {
        assertThat(value(RepositoryPages.beyond(""))).isNull();
        assertThat(value(RepositoryPages.beyond("team/ap"))).isEqualTo("team/aq");
        assertThat(value(RepositoryPages.beyond("repo-09"))).isEqualTo("repo-0a");
        assertThat(value(RepositoryPages.beyond("z"))).isNull();
        for (String prefix : new String[] {"team/ap", "repo-09", "a", "team/", "x-"}) {
            String start = value(RepositoryPages.beyond(prefix));
            assertThat(start).as(prefix).isGreaterThan(prefix + "zzzz");
        }
    }
}
