package io.wharf.bench;

import io.wharf.core.lifecycle.ImageFacts;
import io.wharf.core.lifecycle.LifecyclePlanner;
import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.lifecycle.StorageClass;
import io.wharf.core.lifecycle.Verdict;
import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.service.LifecyclePreview;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.MetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Lifecycle evaluation of one repository of {@code images} images (the target: 100,000 in at most 5 s),
 * half tagged {@code v…}, half untagged, one push a minute, a tenth of them pulled; with a policy that selects
 * most of them or few of them (the preview stores every selected image).
 *
 * <ul>
 *   <li>{@code preview} — {@code LifecycleService.startPreview}: everything a run does before its deletes (reads
 *       every image from SQLite, as {@code wharf serve} opens it, builds the facts, evaluates with the protections)
 *       plus storing the preview's result.</li>
 *   <li>{@code plan} — {@code LifecyclePlanner.plan} alone, on facts already in memory.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class LifecycleBenchmark {
    /** Keep the newest 1,000 tagged images; expire untagged images older than a day; any image after 50,000. */
    static final String MOST = "{\"rules\":["
            + "{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"],"
            + "\"countType\":\"imageCountMoreThan\",\"countNumber\":1000},\"action\":{\"type\":\"expire\"}},"
            + "{\"rulePriority\":2,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\","
            + "\"countUnit\":\"days\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}},"
            + "{\"rulePriority\":3,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\","
            + "\"countNumber\":50000},\"action\":{\"type\":\"expire\"}}]}";
    /** Keep the newest 99,000 images: the same reading and evaluation, a small result to store. */
    static final String FEW = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\","
            + "\"countType\":\"imageCountMoreThan\",\"countNumber\":99000},\"action\":{\"type\":\"expire\"}}]}";

    @Param({"100000"})
    public int images;

    /** {@code most}: about 99% of the images selected ({@link #MOST}); {@code few}: 1% ({@link #FEW}). */
    @Param({"most", "few"})
    public String selects;

    private Path dir;
    private MetadataStore meta;
    private Registry registry;
    private RepoKey key;
    private LifecyclePolicy policy;
    private List<ImageFacts> facts;
    private Instant now;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Fixtures.tempDir("wharf-bench-lifecycle");
        meta = SqliteMetadataStore.open(dir);
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        registry = new Registry(meta, blobs, new InMemoryUploadStore(blobs), RegistryLimits.defaults(), Clock.systemUTC());
        key = new RepoKey(Fixtures.ACCOUNT, RepositoryName.parse("bench/lifecycle"));
        now = Instant.now();
        long repositoryId = meta.createRepository(Fixtures.ACCOUNT, key.name(), now).id();
        Instant first = now.minusSeconds(60L * images);
        facts = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            byte[] body = Fixtures.imageManifest(Fixtures.OCI_MANIFEST, Fixtures.OCI_CONFIG, Fixtures.OCI_LAYER, 1, "m" + i);
            Manifest manifest = ManifestParser.parse(Fixtures.OCI_MANIFEST, body);
            for (Descriptor d : manifest.blobs()) {
                meta.addBlob(repositoryId, d.digest(), d.size(), first);
            }
            Instant pushed = first.plusSeconds(60L * i);
            Tag tag = i % 2 == 0 ? new Tag(String.format("v%07d", i)) : null;
            meta.putManifest(repositoryId, manifest, tag, pushed, true);
            Instant pulled = i % 10 == 0 ? now.minusSeconds(i) : null;
            if (pulled != null) {
                meta.recordPull(repositoryId, manifest.digest(), pulled);
            }
            facts.add(new ImageFacts(manifest.digest().toString(), tag == null ? List.of() : List.of(tag.value()),
                    pushed, pulled, StorageClass.STANDARD, null, false));
        }
        policy = LifecyclePolicy.parse(selects.equals("few") ? FEW : MOST);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (meta != null) {
            meta.close();
        }
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    public LifecyclePreview preview() {
        return registry.lifecycle().startPreview(key, policy);
    }

    @Benchmark
    public List<Verdict> plan() {
        return LifecyclePlanner.plan(policy, facts, Map.of(), null, now);
    }
}
