package io.wharf.server.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fuzz targets of the audit trail's readers of requests (docs/security.md#fuzzing): CloudTrail's {@code LookupEvents}
 * body read into a query and its page token; any API's JSON body kept as a record's request parameters; an OCI
 * call's path and query read back as its parameters. The first yields a query or {@link AuditLookup.InvalidInput}
 * (SerializationException, InvalidTimeRangeException, InvalidNextTokenException …); the second never throws and
 * hides every secret member; the third never throws (a record not written is a call not audited). Anything else is
 * a bug. Seeds: {@code AuditFuzzTestInputs/<target>/}.
 */
class AuditFuzzTest {
    @FuzzTest
    void lookupEvents(byte[] input) {
        try {
            LookupEvents.Request r = LookupEvents.request("123456789012", CloudTrailHandler.json(input));
            if (r.nextToken() != null) {
                r.query().withAfter(AuditLookup.decode(r.nextToken()));
            }
        } catch (AuditLookup.InvalidInput refused) {
            // 400 with CloudTrail's error type
        }
    }

    @FuzzTest
    void requestParameters(byte[] input) {
        Map<String, Object> kept = AuditParameters.clean(AuditParameters.ofJson(input), 100);
        if (kept != null) {
            assertHidden(kept);
        }
    }

    /** {@code <path>\n<query>}: an OCI call's parameters read back for its record, which must never throw. */
    @FuzzTest
    void ociParameters(byte[] input) {
        String[] f = new String(input, UTF_8).split("\n", 2);
        Map<String, Object> p = OciParameters.of(f[0], f.length > 1 ? f[1] : null, "team/app");
        assertThat(p).containsEntry("repositoryName", "team/app");
    }

    private static void assertHidden(Object v) {
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                if (String.valueOf(k).toLowerCase(Locale.ROOT).equals("secretstring")) {
                    assertThat(x).isEqualTo(AuditParameters.HIDDEN);
                }
                assertHidden(x);
            });
        } else if (v instanceof List<?> l) {
            l.forEach(AuditFuzzTest::assertHidden);
        }
    }
}
