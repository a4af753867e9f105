package io.wharf.core.spi;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.spi.InsightIndex.Chunk;
import io.wharf.core.spi.InsightIndex.ChunkRange;
import io.wharf.core.spi.InsightIndex.InsightRequest;
import io.wharf.core.spi.InsightIndex.LayerInsight;
import io.wharf.core.spi.InsightIndex.QueuedImage;
import io.wharf.core.spi.InsightIndex.Status;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link InsightIndex}; every backend runs it. */
public abstract class InsightIndexContract extends MetadataStoreFixture {
    private static final Digest LAYER = blobDigest("layer");

    private Manifest app;
    private Manifest other;
    private InsightIndex insights;

    @BeforeEach
    void pushImages() {
        app = image("app", List.of(LAYER));
        other = image("other", List.of(LAYER));
        store.putManifest(repo, app, tag("v1"), at(1));
        store.putManifest(otherRepo, other, tag("v1"), at(1));
        insights = store.insights();
    }

    private static LayerInsight record(int chunks, long bytes) {
        return new LayerInsight(LAYER, 1, Status.COMPLETE, null, 7, bytes, 3, chunks, at(5));
    }

    @Test
    void aLayerRecordIsStoredWithItsChunksInPathOrder() {
        assertThat(insights.layerInsight(LAYER)).isEmpty();
        assertThat(insights.insightChunks(LAYER)).isEmpty();
        insights.putLayerInsight(record(2, 100), List.of(new Chunk(0, "a", "etc/x", new byte[] {1, 2}),
                new Chunk(1, "usr", "usr/lib/z", new byte[] {3})));
        assertThat(insights.layerInsight(LAYER)).contains(record(2, 100));
        assertThat(insights.insightChunks(LAYER)).containsExactly(new ChunkRange(0, "a", "etc/x"),
                new ChunkRange(1, "usr", "usr/lib/z"));
        assertThat(insights.insightChunk(LAYER, 0).orElseThrow()).containsExactly(1, 2);
        assertThat(insights.insightChunk(LAYER, 1).orElseThrow()).containsExactly(3);
        assertThat(insights.insightChunk(LAYER, 2)).isEmpty();
        assertThat(insights.insightChunk(blobDigest("else"), 0)).isEmpty();
    }

    @Test
    void storingAgainReplacesTheRecordAndAllOfItsChunks() {
        insights.putLayerInsight(record(2, 100), List.of(new Chunk(0, "a", "b", new byte[] {1}),
                new Chunk(1, "c", "d", new byte[] {2})));
        LayerInsight tooLarge = new LayerInsight(LAYER, 2, Status.TOO_LARGE, "more than 10 entries", 0, 0, 0, 0, at(9));
        insights.putLayerInsight(tooLarge, List.of());
        assertThat(insights.layerInsight(LAYER)).contains(tooLarge);
        assertThat(insights.insightChunks(LAYER)).isEmpty();
        assertThat(insights.insightChunk(LAYER, 0)).isEmpty();
    }

    @Test
    void recordsOfLayersNoLongerStoredArePruned() {
        Digest stored = blobDigest("stored");
        store.addBlob(repo, stored, 10, at(1));
        Digest gone = blobDigest("gone");
        insights.putLayerInsight(new LayerInsight(stored, 1, Status.COMPLETE, null, 1, 10, 0, 1, at(2)),
                List.of(new Chunk(0, "a", "a", new byte[] {1})));
        insights.putLayerInsight(new LayerInsight(gone, 1, Status.COMPLETE, null, 1, 10, 0, 1, at(2)),
                List.of(new Chunk(0, "a", "a", new byte[] {1})));
        assertThat(insights.pruneLayerInsights(10)).isEqualTo(1);
        assertThat(insights.layerInsight(gone)).isEmpty();
        assertThat(insights.insightChunk(gone, 0)).isEmpty();
        assertThat(insights.layerInsight(stored)).isPresent();
        assertThat(insights.insightChunk(stored, 0)).isPresent();
        assertThat(insights.pruneLayerInsights(10)).isZero();
    }

    @Test
    void imagesAreQueuedOnceOldestFirstAndTakenOff() {
        assertThat(insights.requestInsights(List.of(queued(otherRepo, other)), at(3))).isEqualTo(1);
        assertThat(insights.requestInsights(List.of(queued(repo, app), queued(repo, app)), at(2)))
                .as("once, however often a batch names it").isEqualTo(1);
        assertThat(insights.requestInsights(List.of(queued(repo, app)), at(4))).as("already queued").isZero();
        assertThat(insights.requestInsights(List.of(queued(repo, other)), at(4))).as("not a manifest of the repository").isZero();
        assertThat(insights.requestInsights(List.of(), at(4))).isZero();
        assertThat(insights.insightRequests(10)).containsExactly(
                new InsightRequest(repo, ACCOUNT, name("library/app"), app.digest(), at(2)),
                new InsightRequest(otherRepo, ACCOUNT, name("library/other"), other.digest(), at(3)));
        assertThat(insights.insightRequests(1)).extracting(InsightRequest::image).containsExactly(app.digest());
        assertThat(insights.finishInsightRequests(List.of(queued(repo, app), queued(repo, other)))).isEqualTo(1);
        assertThat(insights.finishInsightRequests(List.of(queued(repo, app)))).isZero();
        assertThat(insights.insightRequests(10)).extracting(InsightRequest::image).containsExactly(other.digest());
        assertThat(insights.finishInsightRequests(List.of())).isZero();
    }

    @Test
    void aBatchQueuesWhatItNamesInOneGoAndSkipsWhatIsNotStored() {
        assertThat(insights.requestInsights(List.of(queued(repo, app), queued(repo, other), queued(otherRepo, other)), at(2)))
                .isEqualTo(2);
        assertThat(insights.insightRequests(10)).extracting(InsightRequest::repositoryId, InsightRequest::image)
                .containsExactlyInAnyOrder(tuple(repo, app.digest()), tuple(otherRepo, other.digest()));
        assertThat(insights.finishInsightRequests(List.of(queued(repo, app), queued(otherRepo, other)))).isEqualTo(2);
        assertThat(insights.insightRequests(10)).isEmpty();
    }

    private static QueuedImage queued(long repositoryId, Manifest image) {
        return new QueuedImage(repositoryId, image.digest());
    }

    @Test
    void aRequestGoesWithItsImageAndItsRepository() {
        insights.requestInsights(List.of(queued(repo, app)), at(2));
        insights.requestInsights(List.of(queued(otherRepo, other)), at(3));
        assertThat(store.deleteManifest(repo, app.digest())).isTrue();
        assertThat(store.deleteRepository(otherRepo)).isTrue();
        assertThat(insights.insightRequests(10)).isEmpty();
    }
}
