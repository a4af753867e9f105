package io.wharf.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.error.ImageTagImmutableException;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.event.RegistryEvent.TagMoved;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.error.LimitExceededException;
import io.wharf.core.error.ReferencedManifestUnknownException;
import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Reference;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.model.Tag;
import io.wharf.core.model.TagMutability;
import io.wharf.core.model.TagMutabilityPolicy;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.TagStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent writes through the services, on real threads: the checks that guard a write run in the
 * transaction that writes, so racing clients cannot together break what each alone could not.
 * Every metadata backend runs this suite.
 */
public abstract class WriteRaceContract {
    protected static final String ACCOUNT = "123456789012";
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final int ROUNDS = 25;
    private static final int QUOTA = 4;

    protected abstract MetadataStore createStore() throws Exception;

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private MetadataStore meta;
    private Registry registry;
    private ExecutorService threads;
    private static final byte[] CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAYER = "layer".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() throws Exception {
        meta = createStore();
        registry = registry(Quotas.defaults().repositoriesPerRegistry(), Quotas.defaults().imagesPerRepository());
        threads = Executors.newFixedThreadPool(QUOTA + 1);
    }

    /** A registry over the test's store and blobs with its own repository and image quotas. */
    private Registry registry(long repositoriesPerRegistry, long imagesPerRepository) {
        Quotas q = Quotas.defaults();
        Quotas quotas = new Quotas(repositoriesPerRegistry, imagesPerRepository, q.tagsPerImage(),
                q.resourceTagsPerRepository(), q.maxLayerBytes(), q.minPartBytes(), q.maxPartBytes(), q.maxPartsPerUpload(),
                q.maxPolicyChars(), q.maxLifecyclePolicyChars());
        return new Registry(meta, blobs, new InMemoryUploadStore(blobs, Clock.systemUTC()), RegistryLimits.defaults(),
                quotas, true, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        meta.close();
    }

    @Test
    void twoPushesToOneImmutableTagAtOnceHaveExactlyOneWinner() throws Exception {
        RepoKey key = repository("immutable", TagMutability.IMMUTABLE);
        for (int round = 0; round < ROUNDS; round++) {
            Reference tag = new Reference.ByTag(new Tag("v" + round));
            byte[] a = manifest("a" + round);
            byte[] b = manifest("b" + round);
            List<Throwable> failures = race(List.of(() -> push(key, tag, a), () -> push(key, tag, b)));
            assertThat(failures).as("round " + round).hasSize(1).allMatch(ImageTagImmutableException.class::isInstance);
            Digest winner = registry.manifests().get(key, tag).digest();
            assertThat(winner).isIn(Digest.sha256Of(a), Digest.sha256Of(b));
        }
        // the loser's events went with its transaction: one push and one tag move per round, for the winner
        List<RegistryEvent> events = meta.eventsAfter(0, 10_000).stream().map(StoredEvent::event).toList();
        assertThat(events.stream().filter(ImagePushed.class::isInstance)).hasSize(ROUNDS);
        assertThat(events.stream().filter(TagMoved.class::isInstance).map(TagMoved.class::cast))
                .hasSize(ROUNDS)
                .allMatch(m -> m.previous() == null && registry.manifests().get(key, new Reference.ByTag(m.tag())).digest()
                        .equals(m.digest()));
    }

    @Test
    void concurrentPushesBeyondTheImageQuotaStoreExactlyTheQuota() throws Exception {
        Registry limited = registry(Quotas.defaults().repositoriesPerRegistry(), QUOTA);
        for (int round = 0; round < ROUNDS / 5; round++) {
            RepoKey key = repository("quota-" + round, TagMutability.MUTABLE);
            List<Callable<Object>> pushes = new ArrayList<>();
            for (int i = 0; i <= QUOTA; i++) { // QUOTA + 1 pushes of distinct images
                byte[] m = manifest(round + "-" + i);
                pushes.add(() -> limited.manifests().put(key, new Reference.ByDigest(Digest.sha256Of(m)), MANIFEST, m));
            }
            List<Throwable> failures = race(pushes);
            assertThat(failures).as("round " + round).hasSize(1).allMatch(LimitExceededException.class::isInstance);
            assertThat(registry.images().listIds(key, TagStatus.ANY, null, 100).items()).hasSize(QUOTA);
        }
    }

    @Test
    void concurrentCreatesBeyondTheRepositoryQuotaStoreExactlyTheQuota() throws Exception {
        Registry limited = registry(QUOTA, Quotas.defaults().imagesPerRepository());
        for (int round = 0; round < ROUNDS / 5; round++) {
            String account = String.valueOf(200000000000L + round);
            List<Callable<Object>> creates = new ArrayList<>();
            for (int i = 0; i <= QUOTA; i++) { // QUOTA + 1 creates of distinct repositories, half of them by a push
                RepoKey key = new RepoKey(account, RepositoryName.parse("r" + i));
                creates.add(i % 2 == 0 ? () -> limited.repositories().create(key, RepositorySettings.DEFAULTS, Map.of())
                        : () -> limited.uploads().putMonolithic(key, "tester", Digest.sha256Of(LAYER), (long) LAYER.length,
                                BodySource.of(LAYER)));
            }
            List<Throwable> failures = race(creates);
            assertThat(failures).as("round " + round).hasSize(1).allMatch(LimitExceededException.class::isInstance);
            assertThat(meta.countRepositories(account)).isEqualTo(QUOTA);
        }
    }

    @Test
    void anIndexPushRacingTheDeleteOfItsChildNeverLeavesTheIndexWithoutIt() throws Exception {
        RepoKey key = repository("index", TagMutability.MUTABLE);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] child = manifest("child" + round);
            push(key, new Reference.ByTag(new Tag("c" + round)), child);
            Digest childDigest = Digest.sha256Of(child);
            byte[] index = index(childDigest, child.length);
            Reference indexTag = new Reference.ByTag(new Tag("i" + round));
            List<Throwable> failures = race(List.of(() -> push(key, indexTag, index),
                    () -> registry.images().batchDelete(key, List.of(new ImageQuery(childDigest, null)))));
            boolean indexStored = failures.isEmpty();
            boolean childStored = meta.findManifest(meta.findRepository(ACCOUNT, key.name()).orElseThrow().id(),
                    childDigest).isPresent();
            assertThat(failures).allMatch(ReferencedManifestUnknownException.class::isInstance);
            assertThat(!indexStored || childStored).as("round " + round + ": an index whose child is gone").isTrue();
        }
    }

    @Test
    void concurrentResourceTaggingCannotTogetherPassTheQuota() throws Exception {
        int quota = Quotas.defaults().resourceTagsPerRepository();
        for (int round = 0; round < ROUNDS; round++) {
            RepoKey key = repository("tags-" + round, TagMutability.MUTABLE);
            Map<String, String> first = new java.util.HashMap<>();
            Map<String, String> second = new java.util.HashMap<>();
            for (int i = 0; i < quota / 2 + 1; i++) { // each fits alone, both together do not
                first.put("a" + i, "v");
                second.put("b" + i, "v");
            }
            List<Throwable> failures = race(List.of(() -> tag(key, first), () -> tag(key, second)));
            assertThat(failures).as("round " + round).hasSize(1);
            assertThat(registry.repositories().resourceTags(key)).hasSize(quota / 2 + 1);
        }
    }

    @Test
    void concurrentChangesOfDifferentSettingsBothStay() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            RepoKey key = repository("settings-" + round, TagMutability.MUTABLE);
            TagMutabilityPolicy immutable = new TagMutabilityPolicy(TagMutability.IMMUTABLE, List.of());
            race(List.of(() -> registry.repositories().setTagMutability(key, immutable),
                    () -> registry.repositories().setScanOnPush(key, true)));
            RepositorySettings settings = registry.repositories().get(key).settings();
            assertThat(settings.tagMutability()).as("round " + round).isEqualTo(immutable);
            assertThat(settings.scanOnPush()).as("round " + round).isTrue();
        }
    }

    @Test
    void everyWriteEmitsItsEventsAndAnUnchangedRepushNone() {
        long start = meta.lastSequence();
        RepoKey key = repository("events", TagMutability.MUTABLE);
        byte[] a = manifest("a");
        byte[] b = manifest("b");
        Reference latest = new Reference.ByTag(new Tag("latest"));
        push(key, latest, a);
        push(key, latest, a); // identical: nothing
        push(key, latest, b);
        registry.manifests().pull(key, latest);
        registry.manifests().delete(key, latest);
        registry.images().batchDelete(key, List.of(new ImageQuery(Digest.sha256Of(a), null)));
        registry.repositories().delete(key, true);
        RepositoryName n = key.name();
        Digest da = Digest.sha256Of(a);
        Digest db = Digest.sha256Of(b);
        Tag t = new Tag("latest");
        assertThat(meta.eventsAfter(start, 100).stream().map(StoredEvent::event).toList()).containsExactly(
                new RegistryEvent.RepositoryCreated(ACCOUNT, n),
                new ImagePushed(ACCOUNT, n, da, MANIFEST, t), new TagMoved(ACCOUNT, n, t, da, null),
                new ImagePushed(ACCOUNT, n, db, MANIFEST, t), new TagMoved(ACCOUNT, n, t, db, da),
                new RegistryEvent.ImagePulled(ACCOUNT, n, db),
                new RegistryEvent.TagDeleted(ACCOUNT, n, t, db),
                new RegistryEvent.ImageDeleted(ACCOUNT, n, da, List.of()),
                new RegistryEvent.RepositoryDeleted(ACCOUNT, n));
    }

    private Object tag(RepoKey key, Map<String, String> tags) {
        registry.repositories().tag(key, tags);
        return null;
    }

    private RepoKey repository(String name, TagMutability mode) {
        RepoKey key = new RepoKey(ACCOUNT, RepositoryName.parse(name));
        registry.repositories().create(key, new RepositorySettings(new TagMutabilityPolicy(mode, List.of()), false,
                RepositorySettings.DEFAULTS.encryption()), Map.of());
        for (byte[] blob : List.of(CONFIG, LAYER)) {
            registry.uploads().putMonolithic(key, "tester", Digest.sha256Of(blob), (long) blob.length, BodySource.of(blob));
        }
        return key;
    }

    private Object push(RepoKey key, Reference reference, byte[] manifest) {
        String type = new String(manifest, StandardCharsets.UTF_8).contains("\"manifests\"") ? INDEX : MANIFEST;
        return registry.manifests().put(key, reference, type, manifest);
    }

    /** Starts all at one instant; returns the failures (unexpected ones fail the test with their cause). */
    private List<Throwable> race(List<Callable<Object>> tasks) throws Exception {
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        List<Future<Object>> running = new ArrayList<>();
        for (Callable<Object> task : tasks) {
            running.add(threads.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        List<Throwable> failures = new ArrayList<>();
        for (Future<Object> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        return failures;
    }

    /** An image manifest over one shared config and layer, made distinct by an annotation. */
    private byte[] manifest(String seed) {
        String config = descriptor("application/vnd.oci.image.config.v1+json", CONFIG);
        String layer = descriptor("application/vnd.oci.image.layer.v1.tar+gzip", LAYER);
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":" + config + ",\"layers\":[" + layer
                + "],\"annotations\":{\"seed\":\"" + seed + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] index(Digest child, long size) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[{\"mediaType\":\"" + MANIFEST
                + "\",\"digest\":\"" + child + "\",\"size\":" + size + "}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static String descriptor(String mediaType, byte[] content) {
        Digest d = Digest.sha256Of(content);
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + d + "\",\"size\":" + content.length + "}";
    }
}
