package io.wharf.core.spi;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.spi.ScanIndex.RequestOutcome;
import io.wharf.core.spi.ScanIndex.ScanRecord;
import io.wharf.core.spi.ScanIndex.ScanRequest;
import io.wharf.core.spi.ScanIndex.ScanResult;
import io.wharf.core.spi.ScanIndex.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link ScanIndex}; every backend runs it. */
public abstract class ScanIndexContract extends MetadataStoreFixture {
    private static final ScanRequest ON_PUSH = new ScanRequest("BASIC", "SCAN_ON_PUSH", false, 0);
    private static final ScanRequest MANUAL = new ScanRequest("BASIC", "MANUAL", false, 1);
    private static final ScanRequest CONTINUOUS = new ScanRequest("ENHANCED", "SCAN_ON_PUSH", true, 0);

    private Manifest app;
    private ScanIndex scans;

    @BeforeEach
    void pushImage() {
        app = image("app", List.of(blobDigest("layer")));
        store.putManifest(repo, app, tag("v1"), at(1));
        scans = store.scans();
    }

    private static ScanResult result(Status status, long generation, String findings) {
        return new ScanResult(status, status == Status.COMPLETE ? "The scan was completed successfully." : "failed",
                generation, at(50), "inv".getBytes(StandardCharsets.UTF_8), findings.getBytes(StandardCharsets.UTF_8),
                Map.of("HIGH", 2));
    }

    private ScanRecord scan() {
        return scans.findScan(repo, app.digest()).orElseThrow();
    }

    @Test
    void aRequestQueuesAPendingScanOnceWhileItIsOpen() {
        assertThat(scans.findScan(repo, app.digest())).isEmpty();
        assertThat(scans.requestScan(repo, app.digest(), ON_PUSH, at(2))).isEqualTo(RequestOutcome.QUEUED);
        assertThat(scans.requestScan(repo, app.digest(), ON_PUSH, at(3))).isEqualTo(RequestOutcome.ALREADY_OPEN);
        ScanRecord r = scan();
        assertThat(r.status()).isEqualTo(Status.PENDING);
        assertThat(r.scanType()).isEqualTo("BASIC");
        assertThat(r.trigger()).isEqualTo("SCAN_ON_PUSH");
        assertThat(r.requestedAt()).isEqualTo(at(2));
        assertThat(r.manualCount()).isEqualTo(1);
        assertThat(scans.requestScan(repo, app.digest(), MANUAL, at(4))).as("the quota counts the open scan")
                .isEqualTo(RequestOutcome.QUOTA_EXCEEDED);
        assertThat(r.account()).isEqualTo(ACCOUNT);
        assertThat(r.repository()).isEqualTo(name("library/app"));
    }

    @Test
    void nodesQueueingTheFirstScanOfOneImageAtOnceQueueItOnce() throws Exception {
        List<RequestOutcome> outcomes = concurrently(4, i -> () -> scans.requestScan(repo, app.digest(), ON_PUSH, at(2)));
        assertThat(outcomes).containsOnlyOnce(RequestOutcome.QUEUED);
        assertThat(outcomes).filteredOn(o -> o != RequestOutcome.QUEUED).containsOnly(RequestOutcome.ALREADY_OPEN);
        assertThat(scan().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void anUnknownManifestCannotBeScanned() {
        assertThat(scans.requestScan(repo, blobDigest("nothing"), MANUAL, at(2))).isEqualTo(RequestOutcome.NO_IMAGE);
        assertThat(scans.requestScan(otherRepo, app.digest(), MANUAL, at(2))).isEqualTo(RequestOutcome.NO_IMAGE);
    }

    @Test
    void theQuotaCountsScanOnPushAndOpensAgainAfterADay() {
        runToCompletion(ON_PUSH, at(2));
        assertThat(scans.requestScan(repo, app.digest(), MANUAL, at(100))).isEqualTo(RequestOutcome.QUOTA_EXCEEDED);
        assertThat(scans.requestScan(repo, app.digest(), new ScanRequest("BASIC", "MANUAL", false, 2), at(100)))
                .as("a quota of two").isEqualTo(RequestOutcome.QUEUED);
        scans.claimScan(repo, app.digest(), "n", at(101), at(200));
        scans.finishScan(repo, app.digest(), "n", result(Status.COMPLETE, 1, "[]"), at(102));
        assertThat(scans.requestScan(repo, app.digest(), MANUAL, at(2 + 24 * 3600 + 1))).isEqualTo(RequestOutcome.QUEUED);
        assertThat(scan().manualCount()).isEqualTo(1);
    }

    private void runToCompletion(ScanRequest request, java.time.Instant at) {
        assertThat(scans.requestScan(repo, app.digest(), request, at)).isEqualTo(RequestOutcome.QUEUED);
        assertThat(scans.claimScan(repo, app.digest(), "node-a", at, at.plusSeconds(60))).isPresent();
        assertThat(scans.finishScan(repo, app.digest(), "node-a", result(Status.COMPLETE, 1, "[1]"), at.plusSeconds(1))).isTrue();
    }

    @Test
    void onlyOneNodeClaimsAPendingScan() throws Exception {
        scans.requestScan(repo, app.digest(), ON_PUSH, at(2));
        assertThat(scans.claimable(at(3), 10)).extracting(ScanRecord::digest).containsExactly(app.digest());
        List<Boolean> claimed = concurrently(4, i -> () -> scans.claimScan(repo, app.digest(), "node-" + i, at(3), at(63)).isPresent());
        assertThat(claimed).containsOnlyOnce(true);
        ScanRecord r = scan();
        assertThat(r.status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.startedAt()).isEqualTo(at(3));
        assertThat(scans.claimable(at(4), 10)).as("held under a live lease").isEmpty();
    }

    @Test
    void aScanWhoseLeaseExpiredIsClaimedAgainAndTheOldOwnerCannotFinishIt() {
        scans.requestScan(repo, app.digest(), ON_PUSH, at(2));
        scans.claimScan(repo, app.digest(), "dead", at(3), at(63));
        assertThat(scans.claimScan(repo, app.digest(), "live", at(10), at(70))).as("lease still valid").isEmpty();
        assertThat(scans.claimable(at(64), 10)).hasSize(1);
        ScanRecord again = scans.claimScan(repo, app.digest(), "live", at(64), at(124)).orElseThrow();
        assertThat(again.owner()).isEqualTo("live");
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(scans.finishScan(repo, app.digest(), "dead", result(Status.COMPLETE, 1, "[]"), at(65))).isFalse();
        assertThat(scans.finishScan(repo, app.digest(), "live", result(Status.COMPLETE, 1, "[]"), at(66))).isTrue();
    }

    @Test
    void aFinishedScanKeepsItsResult() {
        runToCompletion(ON_PUSH, at(2));
        ScanRecord r = scan();
        assertThat(r.status()).isEqualTo(Status.COMPLETE);
        assertThat(r.description()).isEqualTo("The scan was completed successfully.");
        assertThat(r.completedAt()).isEqualTo(at(3));
        assertThat(r.advisoryGeneration()).isEqualTo(1);
        assertThat(r.sourceUpdatedAt()).isEqualTo(at(50));
        assertThat(r.severityCounts()).isEqualTo(Map.of("HIGH", 2));
        assertThat(r.owner()).isNull();
        assertThat(new String(scans.findings(repo, app.digest()).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("[1]");
        assertThat(new String(scans.inventory(repo, app.digest()).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("inv");
        assertThat(scans.claimable(at(10), 10)).isEmpty();
    }

    @Test
    void continuousImagesMatchedAgainstOlderDataAreStaleAndReplacedByVersion() {
        runToCompletion(CONTINUOUS, at(2));
        assertThat(scans.staleContinuous(1, 10)).isEmpty();
        ScanRecord stale = scans.staleContinuous(2, 10).getFirst();
        assertThat(stale.digest()).isEqualTo(app.digest());
        ScanResult active = new ScanResult(Status.ACTIVE, "Continuous scan is selected", 2, at(80), null,
                "[2]".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(scans.replaceResult(repo, app.digest(), stale.version(), active, at(90))).isTrue();
        assertThat(scans.replaceResult(repo, app.digest(), stale.version(), active, at(91))).as("version moved").isFalse();
        assertThat(scan().status()).isEqualTo(Status.ACTIVE);
        assertThat(scan().severityCounts()).isEmpty();
        assertThat(new String(scans.inventory(repo, app.digest()).orElseThrow(), StandardCharsets.UTF_8))
                .as("kept when not replaced").isEqualTo("inv");
        assertThat(scans.staleContinuous(2, 10)).isEmpty();
    }

    @Test
    void aNonContinuousScanIsNeverStale() {
        runToCompletion(ON_PUSH, at(2));
        assertThat(scans.staleContinuous(100, 10)).isEmpty();
    }

    @Test
    void scansGoWithTheirImageAndRepository() {
        runToCompletion(ON_PUSH, at(2));
        Manifest other = image("other", List.of(blobDigest("layer")));
        store.putManifest(otherRepo, other, tag("x"), at(3));
        scans.requestScan(otherRepo, other.digest(), ON_PUSH, at(4));

        store.deleteManifest(repo, app.digest());
        assertThat(scans.findScan(repo, app.digest())).isEmpty();
        store.putManifest(repo, app, tag("v1"), at(5));
        assertThat(scans.findScan(repo, app.digest())).as("a re-push starts unscanned").isEmpty();

        store.deleteRepository(otherRepo);
        assertThat(scans.findScan(otherRepo, other.digest())).isEmpty();
    }

    @Test
    void theLayerCacheKeepsAnalysesByDiffIdAndKey() {
        Digest diffId = blobDigest("diff");
        assertThat(scans.layerAnalysis(diffId, "v1")).isEmpty();
        scans.putLayerAnalysis(diffId, "v1", new byte[] {1, 2}, at(1));
        scans.putLayerAnalysis(diffId, "v1", new byte[] {3}, at(2));
        scans.putLayerAnalysis(diffId, "v2", new byte[] {4}, at(10));
        assertThat(scans.layerAnalysis(diffId, "v1")).hasValueSatisfying(b -> assertThat(b).containsExactly(3));
        assertThat(scans.layerAnalysis(diffId, "v2")).hasValueSatisfying(b -> assertThat(b).containsExactly(4));
        assertThat(scans.pruneLayerAnalyses(at(5), 100)).isEqualTo(1);
        assertThat(scans.layerAnalysis(diffId, "v1")).isEmpty();
        assertThat(scans.layerAnalysis(diffId, "v2")).isPresent();
        assertThat(Objects.requireNonNull(scans)).isSameAs(store.scans());
    }
}
