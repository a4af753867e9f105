package io.wharf.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/** What RemoteFuzzTest found in upstream answers, said plainly. */
class TokenAnswersTest {
    private static final Instant NOW = Instant.parse("2026-12-04T00:00:00Z");

    /** {@code expires_in} of Long.MAX_VALUE seconds overflowed Instant.plus: ArithmeticException, not RemoteException. */
    @Test
    void aHugeExpiryIsADay() throws Exception {
        var json = Authenticator.json("{\"token\":\"t\",\"expires_in\":9223372036854775807}".getBytes(StandardCharsets.UTF_8), "x");
        Authenticator.Token t = Authenticator.bearerToken(json, NOW, "the token service");
        assertThat(t.renewAt()).isBefore(NOW.plus(Authenticator.MAX_BEARER_LIFETIME)).isAfter(NOW.plus(Duration.ofHours(23)));
    }

    /** A head of line ends only split into no lines: ArrayIndexOutOfBoundsException. */
    @Test
    void aHeadWithoutStatusLineIsMalformed() {
        assertThatThrownBy(() -> PlainGet.parseHead("\r\n", new HashMap<>())).isInstanceOf(IOException.class);
    }
}
