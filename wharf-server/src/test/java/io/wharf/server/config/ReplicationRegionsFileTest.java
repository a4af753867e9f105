package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replication.*} keys and the regions file: parsed, checked, errors that name the problem. */
class ReplicationRegionsFileTest {
    @TempDir
    Path dir;

    private WharfConfig load(Map<String, String> flags) {
        return ConfigLoader.load(null, Map.of(), flags).config();
    }

    private WharfConfig withRegions(String json) throws Exception {
        Path file = Files.writeString(dir.resolve("regions.json"), json);
        return load(Map.of("replication.regions-file", file.toString()));
    }

    @Test
    void defaultsAndARegionsFileAreRead() throws Exception {
        WharfConfig.Replication d = load(Map.of()).replication();
        assertThat(d.regions()).isEmpty();
        assertThat(d.maxAttempts()).isEqualTo(8);
        assertThat(d.backfillOnNewRule()).isTrue();
        WharfConfig.Replication r = withRegions("""
                {"us-west-2": {"endpoint": "https://west.example:5000/", "access-key-id": "AKIAX",
                               "secret-access-key-file": "/etc/wharf/west.secret"},
                 "eu-west-1": {"endpoint": "http://127.0.0.1:5001"}}""").replication();
        assertThat(r.regions().get("us-west-2").endpoint()).isEqualTo(URI.create("https://west.example:5000"));
        assertThat(r.regions().get("us-west-2").accessKeyId()).contains("AKIAX");
        assertThat(r.regions().get("eu-west-1").accessKeyId()).isEmpty();
    }

    @Test
    void aBadFileIsRefusedWithTheReason() {
        assertThatThrownBy(() -> withRegions("{\"us-west-2\": {\"endpoint\": \"ftp://x\"}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("endpoint must be http(s)://host[:port]");
        assertThatThrownBy(() -> withRegions("{\"us-west-2\": {\"endpoint\": \"http://x\", \"secret\": \"s\"}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'secret'");
        assertThatThrownBy(() -> withRegions("{\"us-west-2\": {\"endpoint\": \"http://x\", \"access-key-id\": \"A\"}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("go together");
        assertThatThrownBy(() -> withRegions("{\"US_WEST\": {\"endpoint\": \"http://x\"}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("region");
        assertThatThrownBy(() -> withRegions("[1]")).isInstanceOf(ConfigException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> load(Map.of("replication.regions-file", dir.resolve("none.json").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> load(Map.of("replication.max-attempts", "0"))).isInstanceOf(ConfigException.class);
    }
}
