package io.wharf.core.spi;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Manifest;
import io.wharf.core.spi.ReplicationIndex.Backfill;
import io.wharf.core.spi.ReplicationIndex.Status;
import io.wharf.core.spi.ReplicationIndex.Target;
import io.wharf.core.spi.ReplicationIndex.Task;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link ReplicationIndex}; every backend runs it. */
public abstract class ReplicationIndexContract extends MetadataStoreFixture {
    private static final Target WEST = new Target("us-west-2", "111111111111");
    private static final Target OTHER = new Target("us-east-1", "222222222222");

    private Manifest app;
    private ReplicationIndex index;

    @BeforeEach
    void pushImage() {
        app = image("app", List.of(blobDigest("layer")));
        store.putManifest(repo, app, tag("v1"), at(1));
        index = store.replication();
    }

    private Task only(Target target) {
        return index.tasks(repo, app.digest()).stream().filter(t -> t.target().equals(target)).findFirst().orElseThrow();
    }

    @Test
    void theConfigurationIsStoredPerAccountAndReplaced() {
        assertThat(index.configuration(ACCOUNT)).isEmpty();
        index.putConfiguration(ACCOUNT, "{\"rules\":[]}", at(1));
        index.putConfiguration(ACCOUNT, "{\"rules\":[1]}", at(2));
        assertThat(index.configuration(ACCOUNT)).contains("{\"rules\":[1]}");
        assertThat(index.configuration(OTHER_ACCOUNT)).isEmpty();
    }

    @Test
    void aRequestQueuesOneTaskPerTargetThatIsClaimedOnce() throws Exception {
        assertThat(index.request(repo, app.digest(), List.of(WEST, OTHER), 0, at(2))).isEqualTo(2);
        assertThat(index.request(repo, app.digest(), List.of(WEST), 0, at(3))).as("still waiting").isZero();
        Task t = only(WEST);
        assertThat(t.status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(t.account()).isEqualTo(ACCOUNT);
        assertThat(t.repository()).isEqualTo(name("library/app"));
        assertThat(index.claimable(at(1), 10)).as("not due yet").isEmpty();
        assertThat(index.claimable(at(2), 10)).hasSize(2);
        List<Optional<Task>> claims = concurrently(4, i -> () -> index.claim(repo, app.digest(), WEST, "node-" + i, at(4), at(34)));
        assertThat(claims).filteredOn(Optional::isPresent).hasSize(1);
        Task claimed = claims.stream().flatMap(Optional::stream).findFirst().orElseThrow();
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(claimed.leaseExpiresAt()).isEqualTo(at(34));
        assertThat(index.claimable(at(5), 10)).extracting(Task::target).containsExactly(OTHER);
    }

    @Test
    void onlyTheHolderFinishesAndAnExpiredLeaseIsTakenOver() {
        index.request(repo, app.digest(), List.of(WEST), 0, at(2));
        index.claim(repo, app.digest(), WEST, "a", at(3), at(10)).orElseThrow();
        assertThat(index.claimable(at(11), 10)).as("lease expired").hasSize(1);
        assertThat(index.claim(repo, app.digest(), WEST, "b", at(11), at(20))).isPresent();
        assertThat(index.finish(repo, app.digest(), WEST, "a", Status.COMPLETE, null, at(12))).isFalse();
        assertThat(index.finish(repo, app.digest(), WEST, "b", Status.COMPLETE, null, at(12))).isTrue();
        Task t = only(WEST);
        assertThat(t.status()).isEqualTo(Status.COMPLETE);
        assertThat(t.attempts()).isEqualTo(2);
        assertThat(t.owner()).isNull();
        assertThat(index.claimable(at(100), 10)).isEmpty();
        assertThat(index.request(repo, app.digest(), List.of(WEST), 0, at(13))).as("a push requeues a finished task").isEqualTo(1);
        assertThat(only(WEST).attempts()).isZero();
    }

    @Test
    void aRetryReleasesTheTaskUntilItsDueTime() {
        index.request(repo, app.digest(), List.of(WEST), 0, at(2));
        index.claim(repo, app.digest(), WEST, "a", at(3), at(30)).orElseThrow();
        assertThat(index.retryAt(repo, app.digest(), WEST, "b", "x", at(9), at(4))).isFalse();
        assertThat(index.retryAt(repo, app.digest(), WEST, "a", "unavailable", at(9), at(4))).isTrue();
        Task t = only(WEST);
        assertThat(t.failure()).isEqualTo("unavailable");
        assertThat(t.status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(index.claimable(at(8), 10)).isEmpty();
        assertThat(index.claimable(at(9), 10)).hasSize(1);
        index.claim(repo, app.digest(), WEST, "a", at(9), at(40)).orElseThrow();
        assertThat(index.finish(repo, app.digest(), WEST, "a", Status.FAILED, "gave up", at(10))).isTrue();
        assertThat(only(WEST).failure()).isEqualTo("gave up");
        assertThat(only(WEST).status()).isEqualTo(Status.FAILED);
    }

    @Test
    void tasksGoWithTheirManifest() {
        index.request(repo, app.digest(), List.of(WEST), 0, at(2));
        store.deleteManifest(repo, app.digest());
        assertThat(index.tasks(repo, app.digest())).isEmpty();
        assertThat(index.claimable(at(5), 10)).isEmpty();
        assertThat(index.request(repo, app.digest(), List.of(WEST), 0, at(6))).isZero();
    }

    @Test
    void aBackfillQueuesOnlyWhatIsNotReplicatedAndCountsItsProgress() {
        index.request(repo, app.digest(), List.of(WEST), 0, at(2));
        index.claim(repo, app.digest(), WEST, "a", at(3), at(30)).orElseThrow();
        index.finish(repo, app.digest(), WEST, "a", Status.COMPLETE, null, at(4));
        long id = index.createBackfill(ACCOUNT, at(5));
        assertThat(index.createBackfill(OTHER_ACCOUNT, at(5))).isNotEqualTo(id);
        assertThat(index.request(repo, app.digest(), List.of(WEST, OTHER), id, at(6))).isEqualTo(1);
        assertThat(index.backfillProgress(id)).isEqualTo(Map.of(Status.IN_PROGRESS, 1L));
        assertThat(index.runningBackfills(10)).extracting(Backfill::id).contains(id);
        assertThat(index.advanceBackfill(id, null, name("library/app"), 1, 1, false, at(7))).isTrue();
        assertThat(index.advanceBackfill(id, null, name("library/zzz"), 1, 1, false, at(7))).as("moved already").isFalse();
        assertThat(index.advanceBackfill(id, name("library/app"), name("library/b"), 2, 0, true, at(8))).isTrue();
        Backfill b = index.backfill(id).orElseThrow();
        assertThat(b.state()).isEqualTo(Backfill.DONE);
        assertThat(b.images()).isEqualTo(3);
        assertThat(b.queued()).isEqualTo(1);
        assertThat(b.finishedAt()).isEqualTo(at(8));
        assertThat(index.backfills(ACCOUNT, 10)).extracting(Backfill::id).containsExactly(id);
        assertThat(index.runningBackfills(10)).extracting(Backfill::id).doesNotContain(id);
    }

    @Test
    void aPushRequeueingABackfillsTaskKeepsItInThatBackfillsProgress() {
        long id = index.createBackfill(ACCOUNT, at(1));
        index.request(repo, app.digest(), List.of(WEST), id, at(2));
        index.claim(repo, app.digest(), WEST, "a", at(3), at(30)).orElseThrow();
        assertThat(index.request(repo, app.digest(), List.of(WEST), 0, at(4))).as("the push's own event").isEqualTo(1);
        assertThat(only(WEST).backfill()).isEqualTo(id);
        index.claim(repo, app.digest(), WEST, "b", at(5), at(30)).orElseThrow();
        index.finish(repo, app.digest(), WEST, "b", Status.COMPLETE, null, at(6));
        assertThat(index.backfillProgress(id)).isEqualTo(Map.of(Status.COMPLETE, 1L));
    }

    @Test
    void imagesReplicatedInAreMarkedOnceAndGoWithTheirManifest() {
        assertThat(index.replicatedIn(repo)).isEmpty();
        index.markReplicatedIn(repo, app.digest(), "us-west-2/111111111111", at(2));
        index.markReplicatedIn(repo, app.digest(), "us-west-2/111111111111", at(3));
        assertThat(index.replicatedIn(repo)).containsExactly(app.digest());
        assertThat(index.replicatedIn(otherRepo)).isEmpty();
        store.deleteManifest(repo, app.digest());
        assertThat(index.replicatedIn(repo)).isEmpty();
    }
}
