package io.wharf.server.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.identity.AccessKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fuzz targets of the credentials callers send (docs/security.md#fuzzing): SigV4 {@code Authorization} headers,
 * presigned query strings and registry tokens. Each either authenticates or throws {@link AuthException}; any
 * other exception, or a hang, is a bug. Every key id finds an active key, so the fuzzer reaches the signature
 * check. Seeds: {@code AuthFuzzTestInputs/<target>/}.
 */
class AuthFuzzTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final AccessKey KEY = new AccessKey("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "123456789012", null, AccessKey.Status.ACTIVE, Instant.EPOCH);
    private static final SigV4Verifier VERIFIER = new SigV4Verifier("ecr", id -> Optional.of(KEY), CLOCK);
    private static final RegistryTokens TOKENS = new RegistryTokens(new byte[RegistryTokens.KEY_BYTES], CLOCK);

    /**
     * A signed request, one field per line: Authorization, X-Amz-Date, X-Amz-Content-SHA256, the raw path, the raw
     * query; what follows the fifth line is the body. A missing field is a missing header.
     */
    @FuzzTest
    void sigV4Headers(byte[] input) {
        String[] f = new String(input, UTF_8).split("\n", 6);
        Map<String, List<String>> headers = new TreeMap<>();
        headers.put("Host", List.of("127.0.0.1:5000"));
        header(headers, "Authorization", f, 0);
        header(headers, "X-Amz-Date", f, 1);
        header(headers, "X-Amz-Content-SHA256", f, 2);
        headers.put("X-Amz-Target", List.of("AmazonEC2ContainerRegistry_V20150921.DescribeRepositories"));
        String path = f.length > 3 ? f[3] : "/";
        String query = f.length > 4 ? f[4] : null;
        byte[] body = f.length > 5 ? f[5].getBytes(UTF_8) : new byte[0];
        verify("POST", path, query, headers, body);
    }

    /** A presigned URL's raw query string (the whole input), as a GET of {@code /}. */
    @FuzzTest
    void presignedQueries(byte[] input) {
        verify("GET", "/", new String(input, UTF_8), Map.of("Host", List.of("127.0.0.1:5000")), new byte[0]);
    }

    /** The password of Basic {@code AWS:<password>} on {@code /v2/}. */
    @FuzzTest
    void registryTokens(byte[] input) {
        try {
            TOKENS.verify(new String(input, UTF_8));
        } catch (AuthException refused) {
            // 401 or 403
        }
    }

    private static void verify(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        try {
            VERIFIER.verify(method, path, query, headers, body);
        } catch (AuthException refused) {
            // the AWS error the caller gets
        }
    }

    private static void header(Map<String, List<String>> headers, String name, String[] fields, int i) {
        if (fields.length > i && !fields[i].isEmpty()) {
            headers.put(name, List.of(fields[i]));
        }
    }
}
