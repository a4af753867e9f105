package io.wharf.server.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.server.auth.DisabledAuth;
import java.time.Clock;

/**
 * Fuzz target of {@code GET /v2/token}'s reading of {@code Authorization} (docs/security.md#fuzzing), with auth
 * disabled, where every header authenticates: the token handed out is the header's Basic credentials, or
 * {@value RegistryChallenge#NO_CREDENTIALS}. It never throws (with auth, AuthException refuses what is not ours);
 * anything else is a bug. Seeds: {@code RegistryChallengeFuzzTestInputs/authorizations/}.
 */
class RegistryChallengeFuzzTest {
    private static final RegistryChallenge CHALLENGE = new RegistryChallenge(
            new DisabledAuth("123456789012", Clock.systemUTC()), null, "123456789012");

    @FuzzTest
    void authorizations(byte[] input) {
        String authorization = new String(input, UTF_8);
        String token = CHALLENGE.tokenFor(authorization);
        assertThat(token).isEqualTo(token.strip());
        assertThat(RegistryChallenge.carriesNoCredentials("Bearer " + token)).isEqualTo(RegistryChallenge.NO_CREDENTIALS.equals(token));
    }
}
