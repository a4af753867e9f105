package io.wharf.server.cli;

import static io.wharf.server.oci.Fixtures.digest;
import static io.wharf.server.oci.Fixtures.pushBlob;
import static io.wharf.server.oci.Fixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.oci.Damages;
import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf fsck} on a real data directory, beside the real server that serves it. */
class FsckCommandTest {
    private TestRegistry r;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void start() throws Exception {
        r = new TestRegistry();
    }

    @AfterEach
    void stop() throws Exception {
        r.close();
    }

    private int fsck(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "fsck";
        System.arraycopy(args, 0, all, 1, args.length);
        return WharfCommand.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), all);
    }

    /** It checks blob files against SQLite; a cluster's storage is not that, and it says so rather than guess. */
    @Test
    void aClusterConfigurationIsRefusedWithAClearMessage() throws Exception {
        java.nio.file.Path config = java.nio.file.Files.writeString(r.dataDir.resolve("cluster.yaml"),
                "storage:\n  metadata: postgres\n  postgres:\n    url: jdbc:postgresql://127.0.0.1:1/none\n"
                        + "auth:\n  enabled: false\n");
        assertThat(fsck("-c", config.toString())).isEqualTo(FsckCommand.EXIT_CANNOT_CHECK);
        assertThat(err.toString()).contains("single-node data directory").contains("storage.metadata=postgres");
    }

    @Test
    void anIntactDataDirectoryPassesWithItsCounts() throws Exception {
        Fixtures.pushImage(r, "fsck/clean", "v1");
        assertThat(fsck("--data", r.dataDir.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("blobs:      2 checked").contains("manifests:  1 checked, 0")
                .contains("result: no damage found");
    }

    @Test
    void damageIsReportedWithExitStatusOneAndRepairSetsBlobsAsideWhileTheServerRuns() throws Exception {
        byte[] manifest = Fixtures.pushImage(r, "fsck/app", "v1");
        byte[] flipped = randomBytes(4000);
        byte[] missing = randomBytes(4000);
        pushBlob(r, "fsck/app", flipped);
        pushBlob(r, "fsck/app", missing);
        Damages.flipByte(r.blobFile(digest(flipped)), 123);
        Files.delete(r.blobFile(digest(missing)));
        Damages.alterManifest(r.dataDir, digest(manifest), "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8));
        Path orphan = r.blobFile(digest("not recorded".getBytes()));
        Files.createDirectories(orphan.getParent());
        Files.write(orphan, "not recorded".getBytes());
        Files.writeString(r.dataDir.resolve("blobs/sha256/stray.txt"), "x");

        assertThat(fsck("--data", r.dataDir.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains("DAMAGED blob " + digest(flipped) + ": stored bytes do not hash to the digest")
                .contains("DAMAGED blob " + digest(missing) + ": missing from storage")
                .contains("DAMAGED manifest " + digest(manifest) + " in fsck/app")
                .contains("1 blob files no metadata records").contains("1 stray files")
                .contains("run with --repair");
        assertThat(r.blobFile(digest(flipped))).as("read-only without --repair").exists();

        assertThat(fsck("--data", r.dataDir.toString(), "--repair")).isEqualTo(1);
        assertThat(r.blobFile(digest(flipped))).doesNotExist();
        assertThat(r.head("/v2/fsck/app/blobs/" + digest(flipped)).statusCode()).isEqualTo(404);
        assertThat(out.toString()).contains("1 files in quarantine/");

        pushBlob(r, "fsck/app", flipped);
        pushBlob(r, "fsck/app", missing);
        r.send("PUT", "/v2/fsck/app/manifests/v1", manifest, "Content-Type", Fixtures.OCI_MANIFEST);
        assertThat(fsck("--data", r.dataDir.toString())).as(out.toString()).isZero();
    }

    @Test
    void aDataDirectoryNoServerHoldsIsCheckedToo(@TempDir Path dir) throws Exception {
        try (var meta = io.wharf.storage.jdbc.SqliteMetadataStore.openExclusive(dir)) {
            meta.createRepository(TestRegistry.ACCOUNT, io.wharf.core.model.RepositoryName.parse("fsck/stopped"),
                    java.time.Instant.now());
        }
        assertThat(fsck("--data", dir.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("result: no damage found");
    }

    @Test
    void withoutADataDirectoryItCannotCheck(@TempDir Path empty) {
        assertThat(fsck("--data", empty.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("no Wharf data directory");
        assertThat(fsck("--data", empty.toString(), "--rate", "fast")).isEqualTo(2);
    }

    @Test
    void progressGoesToStandardErrorAndTheRateIsKept() throws Exception {
        pushBlob(r, "fsck/rate", randomBytes(2 << 20));
        long begin = System.nanoTime();
        assertThat(fsck("--data", r.dataDir.toString(), "--rate", "4MiB")).isZero();
        assertThat((System.nanoTime() - begin) / 1_000_000).as("2 MiB at 4 MiB/s").isGreaterThanOrEqualTo(450);
        assertThat(err.toString()).contains("wharf fsck: blobs 1/1");
    }
}
