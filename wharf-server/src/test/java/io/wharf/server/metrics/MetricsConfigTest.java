package io.wharf.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.config.ConfigException;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code metrics.*} keys from the environment: defaults, each mode, and refusals that name the key. */
class MetricsConfigTest {
    @TempDir
    Path dir;

    private static WharfConfig.Metrics load(Map<String, String> env) {
        return ConfigLoader.load(null, env, Map.of()).config().metrics();
    }

    @Test
    void defaultsAreOnTheApiPortFollowingAuth() {
        WharfConfig.Metrics m = load(Map.of());
        assertThat(m.enabled()).isTrue();
        assertThat(m.listen()).isEmpty();
        assertThat(m.access()).isEqualTo(WharfConfig.MetricsAccess.AUTO);
        assertThat(m.access(true)).isEqualTo(WharfConfig.MetricsAccess.IAM);
        assertThat(m.access(false)).isEqualTo(WharfConfig.MetricsAccess.OPEN);
        assertThat(m.repositoryLabels()).isTrue();
        assertThat(m.maxRepositoryLabels()).isEqualTo(100);
    }

    @Test
    void everyKeyFromTheEnvironment() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t");
        WharfConfig.Metrics m = load(Map.of("WHARF_METRICS_LISTEN", "127.0.0.1:9102", "WHARF_METRICS_ACCESS", "token",
                "WHARF_METRICS_TOKEN_FILE", token.toString(), "WHARF_METRICS_REPOSITORY_LABELS", "false",
                "WHARF_METRICS_MAX_REPOSITORY_LABELS", "7", "WHARF_METRICS_ENABLED", "false"));
        assertThat(m).isEqualTo(new WharfConfig.Metrics(false, Optional.of(new WharfConfig.Listen("127.0.0.1", 9102)),
                WharfConfig.MetricsAccess.TOKEN, Optional.of(token.toAbsolutePath().normalize()), false, 7));
        assertThat(m.access(true)).isEqualTo(WharfConfig.MetricsAccess.TOKEN);
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> load(Map.of("WHARF_METRICS_ACCESS", "token")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.token-file");
        assertThatThrownBy(() -> load(Map.of("WHARF_METRICS_ACCESS", "everyone")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.access");
        assertThatThrownBy(() -> load(Map.of("WHARF_METRICS_MAX_REPOSITORY_LABELS", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.max-repository-labels");
        assertThatThrownBy(() -> load(Map.of("WHARF_METRICS_LISTEN", "nowhere:99999")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.listen");
        assertThatThrownBy(() -> load(Map.of("WHARF_METRICS_ACCESS", "token", "WHARF_METRICS_TOKEN_FILE",
                dir.resolve("missing").toString()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.token-file");
    }
}
