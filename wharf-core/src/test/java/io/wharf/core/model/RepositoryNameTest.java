package io.wharf.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.NameInvalidException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The OCI name grammar, checked without a regex so that long names cannot overflow the stack. */
class RepositoryNameTest {
    /** The spec's grammar, as the reference the scanner must agree with. */
    private static final Pattern SPEC = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b", "lib/alpine", "a.b", "a_b", "a__b", "a___b", "a-b", "a---b", "a._b", "a-.b",
        "a/", "/a", "a//b", "a.", "_a", "-a", "A", "a/B", "a b", "a..b", "a/./b", "a/../b", "0/1-2__3.4", "a/b/c/d",
        "a-_b", "a__", "ab/c_", "é", "a:b"})
    void agreesWithTheSpecsRegex(String name) {
        boolean valid = SPEC.matcher(name).matches();
        if (valid) {
            assertThat(new RepositoryName(name).value()).isEqualTo(name);
        } else {
            assertThatThrownBy(() -> new RepositoryName(name)).as(name).isInstanceOf(NameInvalidException.class);
        }
    }

    @Test
    void longNamesWithManySeparatorsAreCheckedWithoutOverflowingTheStack() throws Exception {
        String valid = "a-".repeat(20_000) + "a";
        String invalid = "a_".repeat(20_000) + "!";
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) { // as requests run
            requests.submit(() -> {
                assertThat(RepositoryName.parse(valid, 100_000).value()).isEqualTo(valid);
                assertThatThrownBy(() -> RepositoryName.parse(invalid, 100_000)).isInstanceOf(NameInvalidException.class);
                return null;
            }).get();
        }
    }
}
