package io.wharf.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.jobs.JobContext;
import io.wharf.core.jobs.JobResult;
import io.wharf.core.spi.AdvisoryIndex;
import io.wharf.scan.vuln.OsvImport;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.server.config.WharfConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code vulndb-import} job over a real watched directory and a real SQLite index. */
class VulnDbImportJobTest {
    private static final String RECORD = """
            {"id":"GHSA-%s","modified":"2025-06-0%dT00:00:00Z",
             "affected":[{"package":{"ecosystem":"npm","name":"lodash"},
             "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}""";

    @TempDir
    Path data;
    @TempDir
    Path watched;
    private JdbcMetadataStore store;

    /** Counters as the scheduler would keep them. */
    private static final class Counters implements JobContext {
        final Map<String, Long> values = new TreeMap<>();

        @Override
        public void count(String counter, long value) {
            values.put(counter, value);
        }

        @Override
        public void add(String counter, long delta) {
            values.merge(counter, delta, Long::sum);
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private JobResult run(Counters c) {
        AdvisoryIndex index = store.advisories();
        return new VulnDbImportJob(index, watched, OsvImport.Limits.DEFAULTS, Clock.systemUTC()).run(c);
    }

    @Test
    void importsNewAndChangedFilesOnce() throws IOException {
        store = SqliteMetadataStore.open(data);
        Path a = Files.writeString(watched.resolve("a.json"), RECORD.formatted("a", 1));
        Files.writeString(watched.resolve("notes.txt"), "not data");
        Counters first = new Counters();
        assertThat(run(first).outcome()).isEqualTo(JobResult.ok("").outcome());
        assertThat(first.values).containsEntry("imported-files", 1L).containsEntry("written", 1L);
        long generation = store.advisories().advisoryState().generation();

        Counters second = new Counters();
        run(second);
        assertThat(second.values).containsEntry("unchanged-files", 1L).doesNotContainKey("imported-files");

        Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2020-01-01T00:00:00Z"))); // touched, same bytes
        Counters touched = new Counters();
        run(touched);
        assertThat(touched.values).containsEntry("unchanged-files", 1L).doesNotContainKey("imported-files");
        assertThat(store.advisories().advisoryState().generation()).isEqualTo(generation);

        Files.writeString(a, RECORD.formatted("a", 2));
        Files.writeString(watched.resolve("b.json"), "[" + RECORD.formatted("b", 3) + ", {");
        Counters changed = new Counters();
        JobResult r = run(changed);
        assertThat(r.outcome()).isEqualTo(JobResult.failed("").outcome());
        assertThat(r.message()).contains("b.json");
        assertThat(changed.values).containsEntry("imported-files", 1L).containsEntry("failed-files", 1L);
        assertThat(store.advisories().advisoryState().count()).isEqualTo(1);
        assertThat(store.advisories().advisoryState().generation()).isEqualTo(generation + 1);
    }

    @Test
    void theJobIsRegisteredOnlyWithAWatchDirectory() {
        WharfConfig plain = WharfConfig.defaults();
        assertThat(plain.vulndb().watchDir()).isEmpty();
        assertThat(plain.vulndb().watchInterval()).hasMinutes(5);
        WharfConfig.VulnDb v = plain.vulndb();
        WharfConfig watching = plain.withVulnDb(new WharfConfig.VulnDb(java.util.Optional.of(watched), v.watchInterval(),
                v.maxFileBytes(), v.maxRecordBytes(), v.maxZipEntries(), v.maxZipBytes(), v.maxRecords()));
        assertThat(StandardJobs.importLimits(watching.vulndb()).maxZipEntries()).isEqualTo(2_000_000);
        assertThat(watching.vulndb().watchDir()).contains(watched);
    }
}
