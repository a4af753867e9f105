package io.wharf.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {
    /** RFC 6238 appendix B's SHA-1 seed. */
    private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    private static String at(long epochSecond, int digits) {
        return Totp.code(SEED, Totp.step(Instant.ofEpochSecond(epochSecond)), digits);
    }

    @Test
    void rfc6238AppendixBSha1Vectors() {
        assertThat(at(59, 8)).isEqualTo("94287082");
        assertThat(at(1111111109, 8)).isEqualTo("07081804");
        assertThat(at(1111111111, 8)).isEqualTo("14050471");
        assertThat(at(1234567890, 8)).isEqualTo("89005924");
        assertThat(at(2000000000, 8)).isEqualTo("69279037");
        assertThat(at(20000000000L, 8)).isEqualTo("65353130");
        assertThat(at(59, 6)).as("six digits: the same value's last six").isEqualTo("287082");
    }

    @Test
    void aCodeMatchesItsStepAndOneEitherWay() {
        Instant now = Instant.ofEpochSecond(1111111111);
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, step), now)).hasValue(step);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, step - 1), now)).hasValue(step - 1);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, step + 1), now)).hasValue(step + 1);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, step - 2), now)).isEmpty();
        assertThat(Totp.matchingStep(SEED, "12345", now)).isEmpty();
        assertThat(Totp.matchingStep(SEED, "abcdef", now)).isEmpty();
        assertThat(Totp.matchingStep(SEED, null, now)).isEmpty();
    }

    @Test
    void secretsAreWrittenInBase32ForAuthenticatorApps() {
        assertThat(Totp.base32(SEED)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Totp.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY"); // RFC 4648 §10, unpadded
        assertThat(Totp.uri("Wharf", "alice@000000000000", SEED)).isEqualTo("otpauth://totp/Wharf:alice@000000000000"
                + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Wharf&algorithm=SHA1&digits=6&period=30");
    }
}
