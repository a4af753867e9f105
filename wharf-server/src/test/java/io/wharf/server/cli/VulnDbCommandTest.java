package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.oci.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf vulndb} on a real data directory, beside the real server that serves it. */
class VulnDbCommandTest {
    private static final String RECORD = """
            {"id":"GHSA-%s","modified":"2025-06-01T00:00:00Z","aliases":["CVE-2025-1"],
             "affected":[{"package":{"ecosystem":"npm","name":"lodash"},
             "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}""";

    @TempDir
    Path files;
    private TestRegistry r;

    @BeforeEach
    void start() throws Exception {
        r = new TestRegistry();
    }

    @AfterEach
    void stop() throws Exception {
        r.close();
    }

    @Test
    void importPrintsWhatEachFileDidAndStatusTheState() throws IOException {
        Path good = Files.writeString(files.resolve("good.json"), "[" + RECORD.formatted("a") + "," + RECORD.formatted("b") + "]");
        CliRun first = CliRun.run(Map.of(), r.dataDir, "vulndb", "import", good.toString());
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains(good + ": 2 written, 0 unchanged, 0 withdrawn").contains("generation:      1");

        CliRun again = CliRun.run(Map.of(), r.dataDir, "vulndb", "import", good.toString());
        assertThat(again.out()).contains("0 written, 2 unchanged").contains("generation:      1");

        CliRun status = CliRun.run(Map.of(), r.dataDir, "vulndb", "status");
        assertThat(status.status()).isZero();
        assertThat(status.out()).contains("advisories:      2").contains("newest modified: 2025-06-01T00:00:00Z");
    }

    @Test
    void aBadFileFailsClearlyAndChangesNothing() throws IOException {
        Path bad = Files.writeString(files.resolve("bad.json"), "[" + RECORD.formatted("a") + ",\n{\"id\": ]");
        Path good = Files.writeString(files.resolve("good.json"), RECORD.formatted("c"));
        CliRun run = CliRun.run(Map.of(), r.dataDir, "vulndb", "import", bad.toString(), good.toString());
        assertThat(run.status()).isEqualTo(WharfCommand.EXIT_FAILURE);
        assertThat(run.err()).contains("wharf vulndb: not imported: " + bad).contains("line 4");
        assertThat(run.out()).contains(good + ": 1 written");
        assertThat(CliRun.run(Map.of(), r.dataDir, "vulndb", "status").out()).contains("advisories:      1");

        CliRun missing = CliRun.run(Map.of(), r.dataDir, "vulndb", "import", files.resolve("nope.json").toString());
        assertThat(missing.status()).isEqualTo(WharfCommand.EXIT_FAILURE);
        assertThat(missing.err()).contains("nope.json").contains("no such file");
    }
}
