package io.wharf.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstore.trustroot.SigstoreTrustedRoot;
import io.wharf.server.config.ConfigException;
import io.wharf.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code signatures.trusted-root} setting and the file it names, read with sigstore-java at start-up. */
class KeylessTrustedRootTest {
    @TempDir
    Path dir;

    @Test
    void aTrustedRootIsReadWithItsCasAndLogs() throws Exception {
        TinySigstore sigstore = new TinySigstore("t");
        SigstoreTrustedRoot root = TrustedRootFile.read(Files.writeString(dir.resolve("root.json"), sigstore.trustedRoot()));
        assertThat(root.getCAs()).hasSize(1);
        assertThat(root.getCAs().get(0).getCertPath().getCertificates()).hasSize(2);
        assertThat(root.getTLogs()).hasSize(1);
        assertThat(java.util.HexFormat.of().formatHex(root.getTLogs().get(0).getLogId().getKeyId()))
                .isEqualTo(sigstore.logId());
    }

    @Test
    void anUnusableFileStopsTheServerWithTheReason() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), "{\"mediaType\":\"x\"}");
        assertThatThrownBy(() -> TrustedRootFile.read(empty)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("signatures.trusted-root").hasMessageContaining("no certificate authority");
        Path junk = Files.writeString(dir.resolve("junk.json"), "not json");
        assertThatThrownBy(() -> TrustedRootFile.read(junk)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> TrustedRootFile.read(dir.resolve("missing.json"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read");
    }

    @Test
    void theSettingIsReadFromTheEnvironment() {
        var config = ConfigLoader.load(null, Map.of("WHARF_SIGNATURES_TRUSTED_ROOT", "/etc/wharf/trusted_root.json"),
                Map.of()).config();
        assertThat(config.signatures().trustedRoot()).contains(Path.of("/etc/wharf/trusted_root.json"));
        assertThat(ConfigLoader.load(null, Map.of(), Map.of()).config().signatures().trustedRoot()).isEmpty();
    }
}
