package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WharfCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return WharfCommand.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsTheServeCommand() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("Usage: wharf", "serve", "--version");
    }

    @Test
    void versionNamesWharfAndTheJvm() {
        assertThat(run(Map.of(), "--version")).isZero();
        assertThat(out.toString()).startsWith("wharf ").contains("JVM " + Runtime.version().feature());
    }

    @Test
    void serveHelpDocumentsEveryKeyAndItsEnvironmentVariable() {
        assertThat(run(Map.of(), "serve", "--help")).isZero();
        assertThat(out.toString()).contains("--listen=HOST:PORT", "--data=DIR", "--config=FILE",
                "limits.max-manifest-bytes", "WHARF_LIMITS_MAX_MANIFEST_BYTES", "4194304", "tls.cert-file", "(unset)");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("Missing command").contains("wharf serve");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run(Map.of(), "serve", "--port", "5000")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option").contains("'--port'");
    }

    @Test
    void badFlagValueExitsWithStatus2AndSaysWhy() {
        assertThat(run(Map.of(), "serve", "--listen", "127.0.0.1:99999")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "wharf: invalid listen '127.0.0.1:99999' (from option --listen): port 99999 is out of range 0-65535"
                        + System.lineSeparator());
    }

    @Test
    void unknownConfigKeyExitsWithStatus2() throws Exception {
        Path file = Files.writeString(dir.resolve("wharf.yaml"), "listen: 127.0.0.1:5000\nport: 5000\n");
        assertThat(run(Map.of(), "serve", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("line 2: unknown key 'port'");
    }

    @Test
    void configFileCanComeFromTheEnvironment() {
        assertThat(run(Map.of("WHARF_CONFIG", dir.resolve("missing.yaml").toString()), "serve")).isEqualTo(2);
        assertThat(err.toString()).contains("config file " + dir.resolve("missing.yaml") + " does not exist");
    }

    @Test
    void badEnvironmentValueExitsWithStatus2() {
        assertThat(run(Map.of("WHARF_SHUTDOWN_TIMEOUT", "soon"), "serve")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid shutdown-timeout 'soon' (from environment variable WHARF_SHUTDOWN_TIMEOUT)");
    }
}
