package io.wharf.server.remote;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.remote.RemoteException;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Fuzz targets of what an upstream registry answers a pull-through cache or a replication (docs/security.md#fuzzing):
 * its {@code WWW-Authenticate} challenge, its token service's or ECR's token answer, and the response head the plain
 * blob client reads off the socket. Each yields a value or the client's refusal ({@link RemoteException} INVALID,
 * {@link IOException}); anything else is a bug. Seeds: {@code RemoteFuzzTestInputs/<target>/}.
 */
class RemoteFuzzTest {
    private static final Instant NOW = Instant.parse("2026-12-04T00:00:00Z");

    /** Never throws: an unknown scheme is no challenge; parameter names come out in lower case. */
    @FuzzTest
    void challenges(byte[] input) {
        Challenge.parse(new String(input, UTF_8)).ifPresent(c ->
                c.params().keySet().forEach(k -> assertThat(k).isEqualTo(k.toLowerCase(java.util.Locale.ROOT))));
    }

    /** First byte even: a token service's answer; odd: GetAuthorizationToken's. A token is renewed before it expires. */
    @FuzzTest
    void tokenResponses(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        try {
            var json = Authenticator.json(body, "the upstream");
            Authenticator.Token t = (input[0] & 1) == 0 ? Authenticator.bearerToken(json, NOW, "the token service")
                    : Authenticator.ecrToken(json, NOW, "GetAuthorizationToken");
            assertThat(t.value()).isNotEmpty();
        } catch (RemoteException refused) {
            // INVALID: no token, malformed JSON
        }
    }

    @FuzzTest
    void responseHeads(byte[] input) {
        Map<String, String> head = new HashMap<>();
        try {
            int status = PlainGet.parseHead(new String(input, ISO_8859_1), head);
            assertThat(status).isBetween(0, 999);
        } catch (IOException refused) {
            // malformed HTTP
        }
    }
}
