package io.wharf.core.spi;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.configOf;
import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kept usage counters against a full recount: a randomized sequence of pushes, mounts, tag moves, deletes,
 * repository deletes and garbage collections, applied to the store under test and to an in-memory store (whose
 * usage is computed from its maps on every call), must give the same usage; and {@link UsageIndex#recountUsage}
 * must find nothing to repair. Also concurrent pushes sharing blobs, pull tallies and quota marks.
 */
public abstract class UsageCountersContract extends MetadataStoreFixture {
    private static final List<String> REPOSITORIES = List.of("library/app", "library/other", "team/a", "team/b");
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    /** One step, replayable on any store: {@code ids} maps each repository name to its current id there. */
    private interface Step {
        void apply(MetadataStore s, Map<String, Long> ids);
    }

    @Test
    void countersEqualARecountAfterARandomizedSequence() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Step> steps = randomSteps(new Random(seed), 150);
            MetadataStore mirror = new InMemoryMetadataStore();
            Map<String, Long> ids = repositories(store);
            Map<String, Long> mirrorIds = repositories(mirror);
            for (int i = 0; i < steps.size(); i++) {
                steps.get(i).apply(store, ids);
                steps.get(i).apply(mirror, mirrorIds);
                if (i % 25 == 24) {
                    assertSameUsage(mirror, ids, mirrorIds, "seed " + seed + " step " + i);
                }
            }
            assertSameUsage(mirror, ids, mirrorIds, "seed " + seed + " end");
            mirror.close();
            ids.values().forEach(store::deleteRepository);
            collectGarbage(store);
        }
    }

    @Test
    void concurrentPushesSharingBlobsKeepExactCounters() throws Exception {
        Map<String, Long> ids = repositories(store);
        List<Digest> shared = List.of(blobDigest("base-0"), blobDigest("base-1"), blobDigest("base-2"));
        concurrently(8, n -> () -> {
            long target = ids.get(REPOSITORIES.get(n % REPOSITORIES.size()));
            for (int k = 0; k < 6; k++) {
                int i = k;
                Digest own = blobDigest("own-" + n + "-" + i);
                List<Digest> layers = List.of(shared.get(i % 3), own);
                Manifest m = image("c" + n + "-" + i, layers);
                store.inTransaction("push", unit -> {
                    layers.forEach(d -> unit.addBlob(target, d, size(d), at(i)));
                    unit.addBlob(target, configOf("c" + n + "-" + i), 10, at(i));
                    unit.putManifest(target, m, tag("v" + (i % 2)), at(i));
                    return null;
                });
                if (i % 3 == 2) {
                    store.unlinkBlob(target, shared.get(i % 3));
                }
            }
            return null;
        });
        assertThat(store.recountUsage(false)).isEmpty();
        long images = REPOSITORIES.stream().mapToLong(r -> store.repositoryUsage(ids.get(r)).orElseThrow().images()).sum();
        assertThat(images).isEqualTo(48);
        assertThat(store.registryUsage().blobs()).as("3 shared, 48 own layers, 48 configs").isEqualTo(99);
    }

    @Test
    void pullTalliesAddUpPerRepositoryAndDay() {
        LocalDate day = LocalDate.of(2026, 12, 3);
        store.addPulls(List.of(new PullTally(ACCOUNT, name("library/app"), day, 3, 300),
                new PullTally(ACCOUNT, name("library/other"), day, 1, 10),
                new PullTally(ACCOUNT, name("no/such"), day, 5, 5)));
        store.addPulls(List.of(new PullTally(ACCOUNT, name("library/app"), day, 2, 200),
                new PullTally(ACCOUNT, name("library/app"), day.plusDays(1), 1, 1)));
        assertThat(store.pulls(repo, day)).containsExactly(new DailyPulls(day, 5, 500), new DailyPulls(day.plusDays(1), 1, 1));
        assertThat(store.pulls(repo, day.plusDays(1))).containsExactly(new DailyPulls(day.plusDays(1), 1, 1));
        assertThat(store.accountPulls(ACCOUNT, day)).containsExactly(new DailyPulls(day, 6, 510),
                new DailyPulls(day.plusDays(1), 1, 1));
        assertThat(store.accountPulls(OTHER_ACCOUNT, day)).isEmpty();
    }

    @Test
    void aQuotaMarkChangesOncePerCrossing() {
        assertThat(store.markQuota(repo, QuotaKind.IMAGES, false)).as("not over yet").isFalse();
        assertThat(store.markQuota(repo, QuotaKind.IMAGES, true)).isTrue();
        assertThat(store.markQuota(repo, QuotaKind.IMAGES, true)).as("still over: no second warning").isFalse();
        assertThat(store.markQuota(repo, QuotaKind.STORAGE, true)).as("the other kind is separate").isTrue();
        assertThat(store.markQuota(repo, QuotaKind.IMAGES, false)).isTrue();
        assertThat(store.markQuota(repo, QuotaKind.IMAGES, true)).as("a new crossing").isTrue();
        store.deleteRepository(otherRepo);
        assertThat(store.markQuota(otherRepo, QuotaKind.IMAGES, true)).isFalse();
    }

    @Test
    void accountUsageSumsItsRepositories() {
        store.addBlob(repo, blobDigest("a"), 100, at(1));
        store.linkBlob(repo, otherRepo, blobDigest("a"), at(1));
        store.addBlob(otherRepo, blobDigest("b"), 10, at(1));
        Manifest m = image("m", List.of(blobDigest("a")));
        store.putManifest(repo, m, tag("v1"), at(2));
        long other = store.createRepository(OTHER_ACCOUNT, name("x/y"), T0).id();
        store.addBlob(other, blobDigest("c"), 1000, at(1));

        AccountUsage account = store.accountUsage(ACCOUNT);
        assertThat(account).isEqualTo(new AccountUsage(ACCOUNT, 2, 1, 1, m.size(), 210, 10));
        assertThat(account.logicalBytes()).isEqualTo(210 + m.size());
        assertThat(store.largestRepositories(2)).extracting(u -> u.account() + "/" + u.usage().name().value())
                .containsExactly(OTHER_ACCOUNT + "/x/y", ACCOUNT + "/library/app");
    }

    // ---- the randomized sequence

    private static List<Step> randomSteps(Random random, int count) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String r = REPOSITORIES.get(random.nextInt(REPOSITORIES.size()));
            String other = REPOSITORIES.get(random.nextInt(REPOSITORIES.size()));
            Digest layer = blobDigest("layer-" + random.nextInt(8));
            String seed = "img-" + random.nextInt(12);
            String tagName = "t" + random.nextInt(4);
            int kind = random.nextInt(100);
            int time = i;
            steps.add(switch (kind / 10) {
                case 0, 1, 2, 3 -> (s, ids) -> push(s, ids.get(r), seed, layer, random(tagName, kind), time);
                case 4 -> (s, ids) -> s.linkBlob(ids.get(r), ids.get(other), layer, at(time));
                case 5 -> (s, ids) -> s.unlinkBlob(ids.get(r), layer);
                case 6 -> (s, ids) -> s.deleteTag(ids.get(r), tag(tagName));
                case 7 -> (s, ids) -> s.deleteManifest(ids.get(r), image(seed, List.of(layer)).digest());
                case 8 -> (s, ids) -> collectGarbage(s);
                default -> kind % 10 < 3 ? (s, ids) -> recreate(s, ids, r) : (s, ids) -> push(s, ids.get(r), seed, layer, null, time);
            });
        }
        return steps;
    }

    private static String random(String tagName, int kind) {
        return kind % 2 == 0 ? tagName : null;
    }

    private static void push(MetadataStore s, long repositoryId, String seed, Digest layer, String tagName, int time) {
        s.inTransaction("push", unit -> {
            unit.addBlob(repositoryId, layer, size(layer), at(time));
            unit.addBlob(repositoryId, configOf(seed), 7, at(time));
            unit.putManifest(repositoryId, image(seed, List.of(layer)), tagName == null ? null : tag(tagName), at(time));
            return null;
        });
    }

    private static void recreate(MetadataStore s, Map<String, Long> ids, String name) {
        s.deleteRepository(ids.get(name));
        ids.put(name, s.createRepository(account(name), name(name), T0).id());
    }

    private static void collectGarbage(MetadataStore s) {
        s.scheduleReviews(T0);
        List<Digest> due = s.dueReviews(FAR, null, 10_000);
        if (!due.isEmpty()) {
            s.collect(due, FAR);
        }
    }

    private static long size(Digest d) {
        return 1000 + Math.abs(d.toString().hashCode() % 1000);
    }

    private static String account(String name) {
        return name.startsWith("team/b") ? OTHER_ACCOUNT : ACCOUNT;
    }

    private static Map<String, Long> repositories(MetadataStore s) {
        Map<String, Long> ids = new HashMap<>();
        for (String r : REPOSITORIES) {
            ids.put(r, s.findRepository(account(r), name(r))
                    .orElseGet(() -> s.createRepository(account(r), name(r), T0)).id());
        }
        return ids;
    }

    private void assertSameUsage(MetadataStore mirror, Map<String, Long> ids, Map<String, Long> mirrorIds, String when) {
        assertThat(store.recountUsage(false)).as(when).isEmpty();
        for (String r : REPOSITORIES) {
            RepositoryUsage kept = store.repositoryUsage(ids.get(r)).orElseThrow();
            RepositoryUsage actual = mirror.repositoryUsage(mirrorIds.get(r)).orElseThrow();
            assertThat(kept).as(when + " " + r).usingRecursiveComparison().ignoringFields("repositoryId").isEqualTo(actual);
        }
        assertThat(store.registryUsage()).as(when).isEqualTo(mirror.registryUsage());
        assertThat(store.accountUsage(ACCOUNT)).as(when).isEqualTo(mirror.accountUsage(ACCOUNT));
    }
}
