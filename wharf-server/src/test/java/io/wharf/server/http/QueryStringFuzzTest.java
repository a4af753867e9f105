package io.wharf.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target of {@link QueryString} (docs/security.md#fuzzing): query strings of every API and the console's
 * form bodies ({@code application/x-www-form-urlencoded}). Parsing never throws; asking for a parameter yields its
 * value or {@link MalformedQueryException}. Decoding is strict: text without escapes is itself (a {@code +} a
 * space), and a decoded value had only complete ASCII-hex escapes. Seeds: {@code QueryStringFuzzTestInputs/queries/}.
 */
class QueryStringFuzzTest {
    private static final String[] NAMES = {"csrf", "policy", "q", "page-token", "after", "a", ""};

    @FuzzTest
    void queries(byte[] input) {
        String raw = new String(input, UTF_8);
        QueryString query = new QueryString(raw);
        for (String name : NAMES) {
            try {
                String value = query.get(name);
                assertThat(value != null).isEqualTo(query.has(name));
            } catch (MalformedQueryException refused) {
                assertThat(refused.parameter()).isEqualTo(name); // 400
            }
        }
        for (String part : raw.split("[&=]")) {
            checkDecoded(part, QueryString.decode(part));
        }
    }

    private static void checkDecoded(String raw, String decoded) {
        if (raw.indexOf('%') < 0) {
            assertThat(decoded).isEqualTo(raw.replace('+', ' '));
        } else if (decoded != null) {
            assertThat(raw).matches("(?s)([^%]|%[0-9A-Fa-f]{2})*");
        }
    }
}
