package io.wharf.core.spi;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.configOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.spi.GarbageIndex.Collected;
import io.wharf.core.spi.GarbageIndex.ReviewCounts;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link GarbageIndex}: which changes queue a blob for review, how a review falls due, and
 * what a collection removes and keeps. Every metadata backend runs it.
 */
public abstract class GarbageIndexContract extends MetadataStoreFixture {
    private static final Instant DUE = at(100);

    private final Digest layer = blobDigest("layer");
    private final Manifest image = TestManifests.image("img", List.of(layer));

    /** Uploads the image's config and layer into {@code repository} and pushes the image there. */
    private void push(long repository) {
        store.addBlob(repository, layer, 100, T0);
        store.addBlob(repository, configOf("img"), 2, T0);
        store.putManifest(repository, image, tag("v1"), T0);
    }

    /** Schedules every queued review at {@link #DUE} and collects everything due then. */
    private Collected collectAll() {
        store.scheduleReviews(DUE);
        return store.collect(store.dueReviews(DUE, null, 1000), DUE);
    }

    private List<Digest> deleted(Collected c) {
        return c.deleted().stream().map(StoredBlob::digest).toList();
    }

    @Test
    void anUploadedBlobIsQueuedWithoutATimeUntilScheduled() {
        store.addBlob(repo, layer, 100, T0);
        assertThat(store.reviewCounts(T0)).isEqualTo(new ReviewCounts(1, 0, 0));
        assertThat(store.scheduleReviews(DUE)).isEqualTo(1);
        assertThat(store.reviewCounts(at(99))).isEqualTo(new ReviewCounts(0, 1, 0));
        assertThat(store.dueReviews(at(99), null, 10)).isEmpty();
        assertThat(store.dueReviews(DUE, null, 10)).containsExactly(layer);
        assertThat(store.scheduleReviews(at(500))).as("already scheduled").isZero();
    }

    @Test
    void aBlobNoManifestReferencesIsCollectedWithItsLinks() {
        store.addBlob(repo, layer, 100, T0);
        store.linkBlob(repo, otherRepo, layer, T0);
        Collected c = collectAll();
        assertThat(deleted(c)).containsExactly(layer);
        assertThat(c.deleted().getFirst().size()).isEqualTo(100);
        assertThat(c.unlinked()).isEqualTo(2);
        assertThat(store.blobSize(layer)).isEmpty();
        assertThat(store.linkedBlobSize(repo, layer)).isEmpty();
        assertThat(store.unrecordedBlobs(List.of(layer))).containsExactly(layer);
        assertThat(store.reviewCounts(DUE)).isEqualTo(new ReviewCounts(0, 0, 0));
    }

    @Test
    void aReferencedBlobIsKeptAndLeavesTheQueue() {
        push(repo);
        Collected c = collectAll();
        assertThat(c.deleted()).isEmpty();
        assertThat(c.kept()).isEqualTo(2);
        assertThat(store.linkedBlobSize(repo, layer)).hasValue(100);
        assertThat(store.reviewCounts(DUE)).isEqualTo(new ReviewCounts(0, 0, 0));
    }

    @Test
    void deletingTheLastReferencingManifestQueuesItsBlobs() {
        push(repo);
        collectAll();
        assertThat(store.deleteManifest(repo, image.digest())).isTrue();
        assertThat(store.reviewCounts(DUE).unscheduled()).isEqualTo(2);
        assertThat(deleted(collectAll())).containsExactlyInAnyOrder(layer, configOf("img"));
    }

    @Test
    void deletingARepositoryQueuesWhatItHeld() {
        push(repo);
        collectAll();
        store.deleteRepository(repo);
        assertThat(deleted(collectAll())).containsExactlyInAnyOrder(layer, configOf("img"));
    }

    @Test
    void aLinkItsRepositoryDoesNotReferenceGoesWhileAnotherRepositoryKeepsTheBlob() {
        push(repo);
        store.linkBlob(repo, otherRepo, layer, T0);
        Collected c = collectAll();
        assertThat(c.deleted()).isEmpty();
        assertThat(c.unlinked()).isEqualTo(1);
        assertThat(store.linkedBlobSize(otherRepo, layer)).isEmpty();
        assertThat(store.linkedBlobSize(repo, layer)).hasValue(100);
    }

    @Test
    void unlinkingQueuesTheBlob() {
        store.addBlob(repo, layer, 100, T0);
        collectAll(); // nothing references it: gone
        store.addBlob(repo, layer, 100, T0);
        store.scheduleReviews(at(50));
        store.putManifest(repo, image, null, T0); // (its config is missing, which the store does not check)
        store.collect(store.dueReviews(at(50), null, 10), at(50));
        assertThat(store.reviewCounts(at(50))).isEqualTo(new ReviewCounts(0, 0, 0));
        store.unlinkBlob(repo, layer);
        assertThat(store.reviewCounts(at(50)).unscheduled()).isEqualTo(1);
    }

    @Test
    void pushingOrMountingAScheduledBlobAgainPutsItsReviewBack() {
        store.addBlob(repo, layer, 100, T0);
        store.scheduleReviews(DUE);
        store.addBlob(repo, layer, 100, at(50));
        assertThat(store.reviewCounts(DUE)).isEqualTo(new ReviewCounts(1, 0, 0));
        store.scheduleReviews(DUE);
        assertThat(store.linkBlob(repo, otherRepo, layer, at(60))).isTrue();
        assertThat(store.reviewCounts(DUE)).isEqualTo(new ReviewCounts(1, 0, 0));
    }

    @Test
    void aReviewThatIsNoLongerDueIsLeftAlone() {
        store.addBlob(repo, layer, 100, T0);
        store.scheduleReviews(DUE);
        List<Digest> listed = store.dueReviews(DUE, null, 10);
        store.addBlob(otherRepo, layer, 100, at(99)); // pushed again after it was listed
        Collected c = store.collect(listed, DUE);
        assertThat(c.deleted()).isEmpty();
        assertThat(c.unlinked()).isZero();
        assertThat(store.linkedBlobSize(repo, layer)).hasValue(100);
        assertThat(store.reviewCounts(DUE).unscheduled()).isEqualTo(1);
    }

    @Test
    void aReviewDueSoonIsPostponedAndOneDueLaterIsNot() {
        store.addBlob(repo, layer, 100, T0);
        store.scheduleReviews(DUE);
        assertThat(store.postponeReview(layer, at(100))).as("due exactly then, not before").isFalse();
        assertThat(store.postponeReview(layer, at(101))).isTrue();
        assertThat(store.reviewCounts(DUE)).isEqualTo(new ReviewCounts(1, 0, 0));
        assertThat(store.postponeReview(layer, at(101))).as("no time to postpone").isFalse();
        assertThat(store.postponeReview(blobDigest("unknown"), at(101))).isFalse();
    }

    @Test
    void theLinkIsReadWithItsReviewTime() {
        assertThat(store.linkedBlob(repo, layer)).isEmpty();
        store.addBlob(repo, layer, 100, T0);
        assertThat(store.linkedBlob(repo, layer)).contains(new GarbageIndex.LinkedBlob(100, null));
        assertThat(store.linkedBlob(otherRepo, layer)).as("held by another repository only").isEmpty();
        store.scheduleReviews(DUE);
        assertThat(store.linkedBlob(repo, layer)).contains(new GarbageIndex.LinkedBlob(100, DUE));
        collectAll();
        assertThat(store.linkedBlob(repo, layer)).isEmpty();
    }

    @Test
    void collectableListsWhatCollectDeletesAndChangesNothing() {
        push(repo);
        Digest loose = blobDigest("loose");
        store.addBlob(otherRepo, loose, 7, T0);
        store.scheduleReviews(DUE);
        assertThat(store.collectable(at(99), null, 10)).isEmpty();
        assertThat(store.collectable(DUE, null, 10)).containsExactly(new StoredBlob(loose, 7));
        assertThat(store.reviewCounts(DUE).due()).isEqualTo(3);
        assertThat(deleted(store.collect(store.dueReviews(DUE, null, 10), DUE))).containsExactly(loose);
    }

    @Test
    void dueReviewsPageInDigestOrder() {
        List<Digest> digests = List.of(blobDigest("a"), blobDigest("b"), blobDigest("c"), blobDigest("d"));
        digests.forEach(d -> store.addBlob(repo, d, 1, T0));
        store.scheduleReviews(DUE);
        List<Digest> sorted = digests.stream().sorted().toList();
        List<Digest> first = store.dueReviews(DUE, null, 3);
        assertThat(first).containsExactlyElementsOf(sorted.subList(0, 3));
        assertThat(store.dueReviews(DUE, first.getLast(), 3)).containsExactly(sorted.get(3));
    }
}
