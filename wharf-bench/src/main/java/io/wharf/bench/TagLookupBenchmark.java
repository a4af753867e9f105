package io.wharf.bench;

import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.Reference;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredManifest;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tag lookup on the real metadata store (SQLite, as {@code wharf serve} opens it), in a repository of
 * {@code tags} tags, 1,000 per manifest (the default tags-per-image quota).
 *
 * <ul>
 *   <li>{@code resolveTag} — {@code TagIndex.resolveTag} of a random existing tag: the heart of
 *       {@code GET /v2/<name>/manifests/<tag>}.</li>
 *   <li>{@code getManifestByTag} — {@code ManifestService.get} by tag: repository lookup, tag, manifest
 *       row with its bytes: everything a manifest GET does below HTTP.</li>
 *   <li>{@code listTagsPage} — one {@code tags/list} page of {@code page} tags after a random tag.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TagLookupBenchmark {
    private static final int TAGS_PER_MANIFEST = 1_000;

    @Param({"1000", "100000"})
    public int tags;

    @Param({"100"})
    public int page;

    private Path dir;
    private MetadataStore meta;
    private Registry registry;
    private long repositoryId;
    private RepoKey key;
    private Tag[] names;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Fixtures.tempDir("wharf-bench-tags");
        meta = SqliteMetadataStore.open(dir);
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        registry = new Registry(meta, blobs, new InMemoryUploadStore(blobs), RegistryLimits.defaults(), Clock.systemUTC());
        key = new RepoKey(Fixtures.ACCOUNT, RepositoryName.parse("bench/tags"));
        Instant now = Instant.now();
        Repository repo = meta.createRepository(Fixtures.ACCOUNT, key.name(), now);
        repositoryId = repo.id();
        names = new Tag[tags];
        Manifest manifest = null;
        for (int i = 0; i < tags; i++) {
            if (i % TAGS_PER_MANIFEST == 0) {
                byte[] body = Fixtures.imageManifest(Fixtures.OCI_MANIFEST, Fixtures.OCI_CONFIG, Fixtures.OCI_LAYER, 4,
                        "m" + (i / TAGS_PER_MANIFEST));
                manifest = ManifestParser.parse(Fixtures.OCI_MANIFEST, body);
                for (Descriptor d : manifest.blobs()) {
                    meta.addBlob(repositoryId, d.digest(), d.size(), now);
                }
            }
            names[i] = new Tag(String.format("v%07d", i));
            meta.putManifest(repositoryId, manifest, names[i], now, true);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (meta != null) {
            meta.close();
        }
        Fixtures.deleteTree(dir);
    }

    @State(Scope.Thread)
    public static class Cursor {
        private final SplittableRandom random = new SplittableRandom();

        Tag pick(Tag[] names) {
            return names[random.nextInt(names.length)];
        }
    }

    @Benchmark
    @Threads(2)
    public Optional<Digest> resolveTag(Cursor c) {
        return meta.resolveTag(repositoryId, c.pick(names));
    }

    @Benchmark
    @Threads(2)
    public StoredManifest getManifestByTag(Cursor c) {
        return registry.manifests().get(key, new Reference.ByTag(c.pick(names)));
    }

    @Benchmark
    public List<Tag> listTagsPage(Cursor c) {
        return meta.listTags(repositoryId, c.pick(names), page);
    }
}
