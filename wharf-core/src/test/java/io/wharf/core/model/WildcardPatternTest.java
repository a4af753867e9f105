package io.wharf.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.wharf.core.error.ParameterInvalidException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wildcard matching is exact and never takes exponential time, whatever the pattern. */
class WildcardPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            *          | ''        | true
            ''         | ''        | true
            ''         | a         | false
            a*         | a         | true
            a*b        | axxb      | true
            a*b        | axxbx     | false
            *a*a*b     | aaab      | true
            *a*a*b     | aab       | true
            *a*a*b     | ab        | false
            **         | xyz       | true
            a.b        | aXb       | false
            v*.*.*     | v1.2.3    | true
            v*.*.*     | v1.2      | false
            """)
    void starMatchesAnyRunAndTheRestIsLiteral(String pattern, String value, boolean matches) {
        assertThat(WildcardPattern.star(pattern).matches(value)).isEqualTo(matches);
    }

    @Test
    void questionMarkRunsAndExclusionsAndCase() {
        WildcardPattern p = WildcardPattern.builder().literal('a').one(-1).run(':').literal('z').build(true);
        assertThat(p.matches("AbZ")).isTrue();
        assertThat(p.matches("abcdz")).isTrue();
        assertThat(p.matches("az")).isFalse();
        assertThat(p.matches("ab:z")).isFalse();
        assertThat(WildcardPattern.builder().one(-1).build(false).matches("\uD83D\uDE00")).isTrue(); // one code point
    }

    @Test
    void pathologicalPatternsFinishQuickly() {
        String pattern = "*a".repeat(60) + "*b";
        String value = "a".repeat(300);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 100; i++) {
                assertThat(WildcardPattern.star(pattern).matches(value)).isFalse();
            }
        });
    }

    @Test
    void tagFiltersFromRequestsAllowAtMostTwoWildcards() {
        assertThat(TagFilter.parse("*-rc*").matches("1.0-rc1")).isTrue();
        assertThatThrownBy(() -> TagFilter.parse("*a*a*b"))
                .isInstanceOf(ParameterInvalidException.class).hasMessageContaining("at most 2 wildcard");
        assertThat(new TagFilter("*a*a*a*a*b").matches("a".repeat(128))).isFalse(); // stored, older filters still load
    }

    /**
     * Short patterns keep their positions in a long's bits, long ones in arrays, literal ones compare: all three
     * agree with a regular expression on random patterns of every length (values short enough for the regex).
     */
    @Test
    void everyWayOfMatchingAgreesWithARegex() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 3000; round++) {
            String pattern = randomText(random, 1 + random.nextInt(round % 3 == 0 ? 90 : 12), "ab*?");
            String value = randomText(random, random.nextInt(14), "ab");
            WildcardPattern.Builder b = WildcardPattern.builder();
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                switch (c) {
                    case '*' -> { b.run(-1); regex.append(".*"); }
                    case '?' -> { b.one(-1); regex.append('.'); }
                    default -> { b.literal(c); regex.append(c); }
                }
            }
            assertThat(b.build(false).matches(value)).as(pattern + " ~ " + value)
                    .isEqualTo(java.util.regex.Pattern.matches(regex.toString(), value));
        }
    }

    private static String randomText(java.util.Random random, int length, String alphabet) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
