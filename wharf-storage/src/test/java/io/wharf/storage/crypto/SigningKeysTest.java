package io.wharf.storage.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One P-256 key per profile, created once, sealed by the master key, the same for every instance over the directory. */
class SigningKeysTest {
    private static final String PROFILE = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci";
    private static final byte[] MASTER = new byte[32];

    @TempDir
    Path keys;

    @Test
    void aProfilesKeyIsCreatedOnceAndSignsVerifiably() throws Exception {
        SigningKeys first = new SigningKeys(keys, MASTER);
        byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
        byte[] signature = first.sign(PROFILE, payload);
        SigningKeys again = new SigningKeys(keys, MASTER);
        assertThat(again.publicKey(PROFILE).getEncoded()).isEqualTo(first.publicKey(PROFILE).getEncoded());
        assertThat(((ECPublicKey) again.publicKey(PROFILE)).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initVerify(again.publicKey(PROFILE));
        jdk.update(payload);
        assertThat(jdk.verify(signature)).isTrue();
        assertThat(again.publicKey(PROFILE + "2").getEncoded()).isNotEqualTo(first.publicKey(PROFILE).getEncoded());
    }

    @Test
    void thePrivateKeyIsSealedAndNeedsTheMasterKey() throws Exception {
        SigningKeys store = new SigningKeys(keys, MASTER);
        store.publicKey(PROFILE);
        try (var files = Files.list(keys.resolve("signing"))) {
            Path file = files.findFirst().orElseThrow();
            assertThat(file.getFileName().toString()).matches("[0-9a-f]{32}\\.key");
            assertThat(Files.getPosixFilePermissions(file).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        }
        byte[] other = Arrays.copyOf(MASTER, 32);
        other[0] = 1;
        assertThatThrownBy(() -> new SigningKeys(keys, other).sign(PROFILE, new byte[1]))
                .isInstanceOf(io.wharf.core.error.StorageUnavailableException.class)
                .hasMessageContaining("wrong master key");
    }

    @Test
    void aTruncatedKeyFileIsAnOutageNotAServerFault() throws Exception {
        new SigningKeys(keys, MASTER).publicKey(PROFILE);
        try (var files = Files.list(keys.resolve("signing"))) {
            Path file = files.findFirst().orElseThrow();
            Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 3));
        }
        assertThatThrownBy(() -> new SigningKeys(keys, MASTER).publicKey(PROFILE))
                .isInstanceOf(io.wharf.core.error.StorageUnavailableException.class)
                .hasMessageContaining("the file was altered");
    }
}
