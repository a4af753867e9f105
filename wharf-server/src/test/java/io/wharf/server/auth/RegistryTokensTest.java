package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.iam.Principal;
import io.wharf.server.auth.AuthException.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryTokensTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final byte[] KEY = new byte[32];
    private static final Principal ALICE = Principal.user("123456789012", "alice");

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private static RegistryTokens at(Instant now) {
        return new RegistryTokens(KEY, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aTokenNamesItsPrincipalForTwelveHours() {
        RegistryToken token = at(NOW).issue(ALICE);
        assertThat(token.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(12)));
        assertThat(at(NOW).verify(token.password())).isEqualTo(ALICE);
        assertThat(at(NOW.plus(Duration.ofHours(12)).minusSeconds(1)).verify(token.password())).isEqualTo(ALICE);
        String decoded = new String(Base64.getDecoder().decode(token.authorizationToken()), StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("AWS:" + token.password());
    }

    @Test
    void anExpiredTokenSaysSo() {
        String password = at(NOW).issue(ALICE).password();
        assertThatThrownBy(() -> at(NOW.plus(Duration.ofHours(12))).verify(password))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.EXPIRED_TOKEN);
                    assertThat(e.getMessage()).isEqualTo("Your authorization token has expired. Reauthenticate and try again.");
                });
    }

    @Test
    void tamperedOrForeignTokensAreRefused() {
        String password = at(NOW).issue(ALICE).password();
        int dot = password.indexOf('.');
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(password.substring(0, dot)), StandardCharsets.UTF_8)
                        .replace("user/alice", "user/admin").getBytes(StandardCharsets.UTF_8));
        byte[] otherKey = KEY.clone();
        otherKey[0] = 8;
        String foreign = new RegistryTokens(otherKey, Clock.fixed(NOW, ZoneOffset.UTC)).issue(ALICE).password();
        for (String bad : new String[] {forgedPayload + password.substring(dot), password + "x",
                password.substring(0, password.length() - 2), foreign, "", ".", "no-dot", "a".repeat(5000) + ".b"}) {
            assertThatThrownBy(() -> at(NOW).verify(bad)).as(bad)
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNRECOGNIZED_CLIENT));
        }
    }
}
