package io.wharf.bench;

import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.Reference;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.service.ManifestService;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.Repository;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Manifest parsing and validation, as on {@code PUT /v2/<name>/manifests/<tag>}.
 *
 * <ul>
 *   <li>{@code parse} — {@code ManifestParser.parse}: JSON, media type, schema version, every descriptor,
 *       and the SHA-256 of the body.</li>
 *   <li>{@code put} — {@code ManifestService.put} on the in-memory metadata store: parse, then the
 *       checks against the repository (every referenced blob or child present, tag rules) and the store
 *       (an identical re-push, so the store does no new work).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ManifestBenchmark {

    /** oci: OCI image manifest with 4 layers; docker: Docker v2s2 with 4 layers; index: OCI index of 6 platforms. */
    @Param({"oci", "docker", "index"})
    public String kind;

    private byte[] body;
    private String contentType;
    private ManifestService manifests;
    private RepoKey key;
    private Reference.ByTag tag;
    private InMemoryUploadStore uploads;

    @Setup
    public void setUp() {
        switch (kind) {
            case "oci" -> {
                body = Fixtures.imageManifest(Fixtures.OCI_MANIFEST, Fixtures.OCI_CONFIG, Fixtures.OCI_LAYER, 4, "img");
                contentType = Fixtures.OCI_MANIFEST;
            }
            case "docker" -> {
                body = Fixtures.imageManifest(Fixtures.DOCKER_MANIFEST, Fixtures.DOCKER_CONFIG, Fixtures.DOCKER_LAYER, 4, "img");
                contentType = Fixtures.DOCKER_MANIFEST;
            }
            case "index" -> {
                body = Fixtures.index(6);
                contentType = Fixtures.OCI_INDEX;
            }
            default -> throw new IllegalArgumentException(kind);
        }
        InMemoryMetadataStore meta = new InMemoryMetadataStore();
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        uploads = new InMemoryUploadStore(blobs);
        Registry registry = new Registry(meta, blobs, uploads, RegistryLimits.defaults(), Clock.systemUTC());
        key = new RepoKey(Fixtures.ACCOUNT, RepositoryName.parse("bench/manifests"));
        Repository repo = meta.createRepository(Fixtures.ACCOUNT, key.name(), Instant.now());
        Instant now = Instant.now();
        Manifest parsed = ManifestParser.parse(contentType, body);
        for (Descriptor d : parsed.blobs()) {
            addBlob(meta, repo, d, now);
        }
        if (kind.equals("index")) { // the children must be in the repository before the index
            for (byte[] m : Fixtures.indexChildren(parsed.manifests().size())) {
                Manifest cm = ManifestParser.parse(Fixtures.OCI_MANIFEST, m);
                for (Descriptor d : cm.blobs()) {
                    addBlob(meta, repo, d, now);
                }
                meta.putManifest(repo.id(), cm, null, now, true);
            }
        }
        manifests = registry.manifests();
        tag = new Reference.ByTag(new Tag("v1"));
        manifests.put(key, tag, contentType, body);
    }

    /**
     * Records a blob and stores bytes of its size under its digest: a push checks both (the fixture's
     * digests are made up, and the store takes the digest it is given).
     */
    private void addBlob(InMemoryMetadataStore meta, Repository repo, Descriptor d, Instant now) {
        try {
            String id = java.util.UUID.randomUUID().toString();
            uploads.create(id);
            try (var out = uploads.append(id, 0)) {
                out.write(java.nio.ByteBuffer.allocate((int) d.size()));
            }
            uploads.commit(id, d.size(), d.digest());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        meta.addBlob(repo.id(), d.digest(), d.size(), now);
    }

    @Benchmark
    public Manifest parse() {
        return ManifestParser.parse(contentType, body);
    }

    @Benchmark
    public ManifestService.PushResult put() {
        return manifests.put(key, tag, contentType, body);
    }
}
