package io.wharf.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tag matching: prefix = startsWith, pattern = "*" wildcards over the whole tag, every entry against some tag. */
class TagSelectorTest {

    @ParameterizedTest(name = "pattern {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            prod*       | prod          | true
            prod*       | prod1         | true
            prod*       | production-x  | true
            prod*       | preprod       | false
            prod*       | PROD1         | false
            *prod*      | repo-prod     | true
            *prod*      | prod          | true
            prod        | prod          | true
            prod        | prod1         | false
            *           | anything      | true
            v*.*.*      | v1.2.3        | true
            v*.*.*      | v1.2          | false
            v1.2        | v1x2          | false
            a+b         | a+b           | true
            a+b         | aab           | false
            a?c         | abc           | false
            a?c         | a?c           | true
            *-rc*       | 1.0-rc1       | true
            *test*1*2*3 | my-test-1-2-3 | true
            """)
    void patternsMatchTheWholeTagWithStarAsTheOnlyWildcard(String pattern, String tag, boolean matches) {
        assertThat(selector(List.of(pattern), List.of()).matches(List.of(tag))).isEqualTo(matches);
    }

    @ParameterizedTest(name = "prefix {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            v1   | v1     | true
            v1   | v1.2.3 | true
            v1   | v10    | true
            v1   | xv1    | false
            v1   | V1     | false
            v*   | v1     | false
            v*   | v*1    | true
            """)
    void prefixesAreLiteralStartsWith(String prefix, String tag, boolean matches) {
        assertThat(selector(List.of(), List.of(prefix)).matches(List.of(tag))).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            alpha*,beta*  | alpha-1,beta-1          | true
            alpha*,beta*  | alpha-1,beta-1,gamma-1  | true
            alpha*,beta*  | alpha-1,alpha-2         | false
            alpha*,beta*  | alphabeta               | false
            *a*,*b*       | ab                      | true
            """)
    void everyEntryMustMatchSomeTag(String patterns, String tags, boolean matches) {
        TagSelector selector = selector(List.of(patterns.split(",")), List.of());
        assertThat(selector.matches(List.of(tags.split(",")))).isEqualTo(matches);
    }

    @Test
    void tagStatusDecidesForUntaggedImages() {
        assertThat(selector(List.of("*"), List.of()).matches(List.of())).isFalse();
        assertThat(status(TagStatus.UNTAGGED).matches(List.of())).isTrue();
        assertThat(status(TagStatus.UNTAGGED).matches(List.of("v1"))).isFalse();
        assertThat(status(TagStatus.ANY).matches(List.of())).isTrue();
        assertThat(status(TagStatus.ANY).matches(List.of("v1"))).isTrue();
    }

    @Test
    void backtrackingPatternsOverLongTagsFinishQuickly() {
        List<String> tags = Collections.nCopies(200, "a".repeat(300));
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThat(selector(List.of("*a*a*a*b"), List.of()).matches(tags)).isFalse());
    }

    private static TagSelector selector(List<String> patterns, List<String> prefixes) {
        return new TagSelector(new Selection(TagStatus.TAGGED, patterns, prefixes, null,
                CountType.IMAGE_COUNT_MORE_THAN, null, 1));
    }

    private static TagSelector status(TagStatus status) {
        return new TagSelector(new Selection(status, null, null, null, CountType.IMAGE_COUNT_MORE_THAN, null, 1));
    }
}
