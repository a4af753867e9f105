package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code storage.*} and {@code auth.sealing-key}: cluster mode's settings. */
class StorageConfigTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    private static WharfConfig load(Path file, Map<String, String> env) {
        return ConfigLoader.load(file, env, Map.of()).config();
    }

    @Test
    void theDefaultIsSqliteWithoutASealingKey() {
        WharfConfig c = WharfConfig.defaults();
        assertThat(c.storage()).isEqualTo(WharfConfig.StorageSettings.sqlite());
        assertThat(c.storage().shared()).isFalse();
        assertThat(c.auth().sealingKey()).isEmpty();
    }

    @Test
    void postgresSettingsComeFromYamlAndTheEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("wharf.yaml"), """
                storage:
                  metadata: postgres
                  postgres:
                    url: jdbc:postgresql://db:5432/wharf
                    user: wharf
                    pool-size: 4
                auth:
                  sealing-key: %s
                """.formatted(KEY));
        WharfConfig c = load(file, Map.of("WHARF_STORAGE_POSTGRES_PASSWORD", "s3cret"));
        assertThat(c.storage().shared()).isTrue();
        assertThat(c.storage().postgres()).contains(new WharfConfig.Postgres("jdbc:postgresql://db:5432/wharf", "wharf",
                "s3cret", 4));
        assertThat(c.storage().postgres().orElseThrow().toString()).doesNotContain("s3cret");
        assertThat(c.auth().sealingKey().orElseThrow().bytes()).isEqualTo(new byte[32]);
    }

    @Test
    void poolSizeDefaultsTo16AndUserAndPasswordAreOptional() {
        WharfConfig c = load(null, Map.of("WHARF_STORAGE_METADATA", "postgres",
                "WHARF_STORAGE_POSTGRES_URL", "jdbc:postgresql://localhost/wharf", "WHARF_AUTH_ENABLED", "false"));
        assertThat(c.storage().postgres()).contains(new WharfConfig.Postgres("jdbc:postgresql://localhost/wharf", null,
                null, 16));
    }

    @Test
    void postgresNeedsAUrl() {
        assertThatThrownBy(() -> load(null, Map.of("WHARF_STORAGE_METADATA", "postgres", "WHARF_AUTH_SEALING_KEY", KEY)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.postgres.url")
                .hasMessageContaining("WHARF_STORAGE_POSTGRES_URL");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_STORAGE_METADATA", "postgres", "WHARF_AUTH_SEALING_KEY", KEY,
                "WHARF_STORAGE_POSTGRES_URL", "postgres://db/wharf")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> load(null, Map.of("WHARF_STORAGE_METADATA", "mysql")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.metadata");
    }

    @Test
    void postgresWithAuthNeedsASealingKey() {
        Map<String, String> env = Map.of("WHARF_STORAGE_METADATA", "postgres",
                "WHARF_STORAGE_POSTGRES_URL", "jdbc:postgresql://localhost/wharf");
        assertThatThrownBy(() -> load(null, env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.sealing-key").hasMessageContaining("WHARF_AUTH_SEALING_KEY");
    }

    @Test
    void aBadSealingKeyIsRefusedWithoutRepeatingIt() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> load(null, Map.of("WHARF_AUTH_SEALING_KEY", shortKey)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("32 bytes").hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> load(null, Map.of("WHARF_AUTH_SEALING_KEY", "not base64!")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("base64").hasMessageNotContaining("not base64!");
    }
}
