package io.wharf.bench;

import io.wharf.core.model.Digest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.RegistryUsage;
import io.wharf.core.spi.RepositoryUsage;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Storage usage (the {@code UsageIndex} counter reads behind {@code GET /wharf/v1/usage} and {@code wharf usage})
 * on SQLite as {@code wharf serve} opens it: one repository linking {@code blobs} blobs, a tenth of them also linked
 * by a second repository (so the exclusive-bytes probe finds both cases), and {@code blobs / 10} tagged manifests.
 *
 * <ul>
 *   <li>{@code repository} — one repository's usage: images, tags, manifest bytes, blobs, blob and exclusive bytes.</li>
 *   <li>{@code page} — the listing's first page (both repositories).</li>
 *   <li>{@code total} — the registry's total, unlinked blobs included.</li>
 *   <li>{@code recount} — every counter recomputed from the tables and compared ({@code wharf usage --recount}).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UsageBenchmark {
    @Param({"100000"})
    public int blobs;

    private Path dir;
    private MetadataStore meta;
    private long repositoryId;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Fixtures.tempDir("wharf-bench-usage");
        meta = SqliteMetadataStore.open(dir);
        Instant now = Instant.now();
        repositoryId = meta.createRepository(Fixtures.ACCOUNT, RepositoryName.parse("bench/usage"), now).id();
        long other = meta.createRepository(Fixtures.ACCOUNT, RepositoryName.parse("bench/other"), now).id();
        meta.inTransaction("fill", unit -> { // one commit: store calls on this thread join it
            for (int i = 0; i < blobs; i++) {
                Digest blob = Digest.parse(Fixtures.sha256("blob-" + i));
                meta.addBlob(repositoryId, blob, 1000L + i, now);
                if (i % 10 == 0) {
                    meta.linkBlob(repositoryId, other, blob, now);
                    byte[] body = Fixtures.imageManifest(Fixtures.OCI_MANIFEST, Fixtures.OCI_CONFIG, Fixtures.OCI_LAYER, 1,
                            "m" + i);
                    meta.putManifest(repositoryId, ManifestParser.parse(Fixtures.OCI_MANIFEST, body), new Tag("t" + i),
                            now, true);
                }
            }
            return null;
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (meta != null) {
            meta.close();
        }
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    public RepositoryUsage repository() {
        return meta.repositoryUsage(repositoryId).orElseThrow();
    }

    @Benchmark
    public List<RepositoryUsage> page() {
        return meta.repositoryUsages(Fixtures.ACCOUNT, null, 100);
    }

    @Benchmark
    public RegistryUsage total() {
        return meta.registryUsage();
    }

    /** The full recount of {@code wharf usage --recount} (what every query cost before the counters). */
    @Benchmark
    public List<io.wharf.core.spi.UsageDrift> recount() {
        return meta.recountUsage(false);
    }
}
