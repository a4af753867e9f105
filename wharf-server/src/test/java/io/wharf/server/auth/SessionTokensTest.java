package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Payloads sealed with our key that are not of our format are unrecognized tokens (SessionTokensFuzzTest#payloads). */
class SessionTokensTest {
    private static final AesGcmSecretSealer SEALER = new AesGcmSecretSealer(new byte[AesGcmSecretSealer.KEY_BYTES],
            new SecureRandom());
    private static final SessionTokens TOKENS = new SessionTokens(SEALER,
            Clock.fixed(Instant.parse("2026-12-04T00:00:00Z"), ZoneOffset.UTC), new SecureRandom());

    /** An iat past Instant's range threw DateTimeException (a 500) instead of AuthException. */
    @Test
    void aTimeBeyondInstantsRangeIsUnrecognized() {
        refused("{\"secret\":\"s\",\"account\":\"1\",\"arn\":\"a\",\"iat\":1e30,\"exp\":1796428800}");
        refused("{\"secret\":\"s\",\"account\":\"1\",\"arn\":\"a\",\"iat\":1,\"exp\":9223372036854775807}");
    }

    /** A blank account threw the Principal's IllegalArgumentException. */
    @Test
    void aBlankAccountIsUnrecognized() {
        refused("{\"secret\":\"s\",\"account\":\" \",\"arn\":\"a\",\"iat\":1,\"exp\":1796428800}");
    }

    private static void refused(String payload) {
        String token = Base64.getEncoder().encodeToString(SEALER.seal(SessionTokens.PURPOSE + "ASIAX", payload));
        assertThatThrownBy(() -> TOKENS.open("ASIAX", token)).isInstanceOf(AuthException.class);
    }
}
