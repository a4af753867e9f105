package io.wharf.server.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Fuzz targets of session tokens (docs/security.md#fuzzing), {@code X-Amz-Security-Token}: any presented string,
 * and any payload sealed with the registry's key (what another version, or a bug, could have sealed). Each opens to
 * a signing key or throws {@link AuthException} (UNRECOGNIZED_CLIENT, EXPIRED_TOKEN); anything else is a bug.
 * Seeds: {@code SessionTokensFuzzTestInputs/<target>/}.
 */
class SessionTokensFuzzTest {
    private static final String KEY_ID = "ASIAEXAMPLEEXAMPLE01";
    private static final AesGcmSecretSealer SEALER = new AesGcmSecretSealer(new byte[AesGcmSecretSealer.KEY_BYTES],
            new SecureRandom());
    private static final SessionTokens TOKENS = new SessionTokens(SEALER,
            Clock.fixed(Instant.parse("2026-12-04T00:00:00Z"), ZoneOffset.UTC), new SecureRandom());

    /** The token as presented: mostly not base64, or not sealed by us. */
    @FuzzTest
    void tokens(byte[] input) {
        open(new String(input, UTF_8));
    }

    /** A JSON payload sealed by us, as {@code SessionTokens} seals one, then opened. */
    @FuzzTest
    void payloads(byte[] input) {
        byte[] sealed = SEALER.seal(SessionTokens.PURPOSE + KEY_ID, new String(input, UTF_8));
        SigV4Verifier.SigningKey key = open(Base64.getEncoder().encodeToString(sealed));
        if (key != null) {
            assertThat(key.principal().session()).isNotNull();
        }
    }

    private static SigV4Verifier.SigningKey open(String token) {
        try {
            return TOKENS.open(KEY_ID, token);
        } catch (AuthException refused) {
            return null; // 403 UnrecognizedClientException or ExpiredTokenException
        }
    }
}
