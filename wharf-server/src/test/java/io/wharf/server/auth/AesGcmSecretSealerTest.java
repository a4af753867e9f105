package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class AesGcmSecretSealerTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private final SecureRandom random = new SecureRandom();

    private AesGcmSecretSealer sealer(byte fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, fill);
        return new AesGcmSecretSealer(key, random);
    }

    @Test
    void sealsAndOpens() {
        byte[] sealed = sealer((byte) 1).seal("AKIA1", SECRET);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
        assertThat(sealer((byte) 1).open("AKIA1", sealed)).isEqualTo(SECRET);
        assertThat(sealer((byte) 1).seal("AKIA1", SECRET)).isNotEqualTo(sealed); // fresh nonce each time
    }

    @Test
    void refusesAnotherKeyIdAnotherKeyOrTampering() {
        byte[] sealed = sealer((byte) 1).seal("AKIA1", SECRET);
        assertThatThrownBy(() -> sealer((byte) 1).open("AKIA2", sealed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sealer((byte) 2).open("AKIA1", sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keys");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> sealer((byte) 1).open("AKIA1", sealed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sealer((byte) 1).open("AKIA1", new byte[] {9})).isInstanceOf(IllegalStateException.class);
    }
}
