package io.wharf.bench;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.MetadataStore;
import io.wharf.scan.model.FoundPackage;
import io.wharf.scan.model.ImageInventory;
import io.wharf.scan.model.OsRelease;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import io.wharf.scan.vuln.AdvisoryCache;
import io.wharf.scan.vuln.Finding;
import io.wharf.scan.vuln.OsvImport;
import io.wharf.scan.vuln.VulnerabilityMatcher;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Vulnerability data on SQLite as {@code wharf serve} opens it: {@code records} synthetic OSV records (half
 * {@code Debian:12} over {@code records / 20} source packages, half npm over as many names, about ten per package;
 * each with a CVE alias, a CVSS v3.1 vector, {@code introduced: 0} and a fix) in one {@code all.zip}.
 *
 * <ul>
 *   <li>{@code importAllZip} — {@code OsvImport.importPath} of the zip into an empty database (one transaction).</li>
 *   <li>{@code match} — {@code VulnerabilityMatcher.match} of a 500-package inventory (250 dpkg, 250 npm, every
 *       one named by about ten advisories, half of the versions affected) with a fresh cache: what one scan costs.
 *       Throughput in packages × records per second = 500 × records / the time per match.</li>
 *   <li>{@code matchWarmCache} — the same with an {@link AdvisoryCache} shared across calls (a rescan of many
 *       images after one import).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class VulnDbBenchmark {
    static final int PACKAGES = 500;

    @Param({"200000"})
    public int records;

    private Path dir;
    private Path zip;
    private MetadataStore loaded;
    private ImageInventory inventory;
    private VulnerabilityMatcher warm;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Fixtures.tempDir("wharf-bench-vulndb");
        zip = dir.resolve("all.zip");
        writeZip(zip, records);
        loaded = SqliteMetadataStore.open(dir.resolve("loaded"));
        OsvImport.importPath(loaded.advisories(), zip, Clock.systemUTC());
        inventory = inventory(records / 20);
        warm = new VulnerabilityMatcher(loaded.advisories(), new AdvisoryCache(loaded.advisories()));
    }

    /** An empty database per import (only the import benchmark uses it: its setup is not timed). */
    @State(Scope.Thread)
    public static class Empty {
        MetadataStore store;
        Path dir;

        @Setup(Level.Invocation)
        public void open() throws IOException {
            dir = Fixtures.tempDir("wharf-bench-vulndb-import");
            store = SqliteMetadataStore.open(dir);
        }

        @TearDown(Level.Invocation)
        public void close() {
            store.close();
            Fixtures.deleteTree(dir);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loaded.close();
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    public Object importAllZip(Empty empty) throws IOException {
        List<OsvImport.FileResult> r = OsvImport.importPath(empty.store.advisories(), zip, Clock.systemUTC());
        if (r.getFirst().failed() || r.getFirst().result().written() != records) {
            throw new IllegalStateException("import failed: " + r);
        }
        return r;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 3)
    public List<Finding> match() {
        return new VulnerabilityMatcher(loaded.advisories()).match(inventory, false);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 3)
    public List<Finding> matchWarmCache() {
        return warm.match(inventory, false);
    }

    static void writeZip(Path zip, int records) throws IOException {
        int names = records / 20;
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < records; i++) {
                boolean debian = i % 2 == 0;
                String id = (debian ? "DEBIAN-CVE-2025-" : "GHSA-bench-") + i;
                z.putNextEntry(new ZipEntry(id + ".json"));
                z.write(record(id, debian, "pkg" + (i / 2) % names, i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String record(String id, boolean debian, String name, int i) {
        String fixed = debian ? "1." + (i % 7) + "-1+deb12u1" : "1." + (i % 7) + ".0";
        return """
                {"schema_version":"1.6.0","id":"%s","modified":"2025-%02d-01T00:00:00Z","published":"2025-01-01T00:00:00Z",
                 "aliases":["CVE-2025-%d"],"summary":"synthetic advisory %d","details":"A synthetic record for the benchmark.",
                 "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
                 "affected":[{"package":{"ecosystem":"%s","name":"%s"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"%s"}]}]}],
                 "references":[{"type":"ADVISORY","url":"https://example.invalid/%s"}]}"""
                .formatted(id, 1 + i % 12, 100000 + i, i, debian ? "Debian:12" : "npm", name, fixed, id);
    }

    static ImageInventory inventory(int names) {
        Digest layer = Digest.sha256Of(new byte[] {1});
        List<FoundPackage> pkgs = new ArrayList<>();
        for (int i = 0; i < PACKAGES; i++) {
            String name = "pkg" + (i * 37) % names;
            Pkg p = i % 2 == 0
                    ? new Pkg(PackageManager.DPKG, "lib" + name, "1.3-1", name, null, "amd64", null, "var/lib/dpkg/status")
                    : new Pkg(PackageManager.NPM, name, "1.3.0", null, null, null, null, "app/node_modules/" + name + "/package.json");
            pkgs.add(new FoundPackage(p, 0, layer, layer));
        }
        return new ImageInventory(new OsRelease("debian", "12", "bookworm", null), pkgs);
    }
}
