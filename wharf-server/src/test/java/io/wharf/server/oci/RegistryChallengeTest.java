package io.wharf.server.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.auth.DisabledAuth;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/token}'s token with auth disabled, where every Authorization header authenticates. */
class RegistryChallengeTest {
    private final RegistryChallenge challenge = new RegistryChallenge(new DisabledAuth("123456789012", Clock.systemUTC()),
            null, "123456789012");

    @Test
    void handsBackBasicCredentials() {
        assertThat(challenge.tokenFor("Basic QVdTOnNlY3JldA==")).isEqualTo("QVdTOnNlY3JldA==");
        assertThat(challenge.tokenFor("bearer  QVdTOnNlY3JldA== ")).isEqualTo("QVdTOnNlY3JldA==");
    }

    /** A header shorter than "Basic " threw StringIndexOutOfBoundsException: a 500. */
    @Test
    void anotherSchemeCarriesNoCredentials() {
        assertThat(challenge.tokenFor("x")).isEqualTo(RegistryChallenge.NO_CREDENTIALS);
        assertThat(challenge.tokenFor("Digest username=\"a\"")).isEqualTo(RegistryChallenge.NO_CREDENTIALS);
        assertThat(challenge.tokenFor(null)).isEqualTo(RegistryChallenge.NO_CREDENTIALS);
    }
}
