package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code encryption.aes256} and {@code encryption.master-key}: defaults, environment, refusals that never echo a key. */
class EncryptionConfigTest {

    private static WharfConfig load(Map<String, String> env) {
        return ConfigLoader.load(null, env, Map.of()).config();
    }

    @Test
    void aes256RepositoriesArePlainByDefaultAndTheMasterKeyIsAFile() {
        WharfConfig.AtRest atRest = load(Map.of()).blobs().atRest();
        assertThat(atRest.encryptAes256()).isFalse();
        assertThat(atRest.masterKey()).isEmpty();
    }

    @Test
    void theEnvironmentTurnsEncryptionOnAndGivesTheMasterKey() {
        byte[] key = new byte[32];
        key[0] = 7;
        WharfConfig.AtRest atRest = load(Map.of("WHARF_ENCRYPTION_AES256", "encrypt",
                "WHARF_ENCRYPTION_MASTER_KEY", Base64.getEncoder().encodeToString(key))).blobs().atRest();
        assertThat(atRest.encryptAes256()).isTrue();
        assertThat(atRest.masterKey()).get().extracting(WharfConfig.SealingKey::bytes).isEqualTo(key);
    }

    @Test
    void badValuesAreRefusedWithoutRepeatingTheKey() {
        assertThatThrownBy(() -> load(Map.of("WHARF_ENCRYPTION_AES256", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("plain or encrypt");
        assertThatThrownBy(() -> load(Map.of("WHARF_ENCRYPTION_MASTER_KEY", "c2hvcnQ=")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("32 bytes").hasMessageNotContaining("c2hvcnQ=");
    }
}
