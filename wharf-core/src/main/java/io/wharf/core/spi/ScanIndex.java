package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Image scans: their state, results and the per-layer analysis cache, kept by the metadata database so any
 * node can run a scan or answer for one. One record per (repository, manifest digest); it goes with its
 * manifest (deleted with the image or the repository). Every change of a record is a compare-and-set on its
 * {@code version}, so nodes sharing one database need nothing else to agree on who runs a scan.
 */
public interface ScanIndex {

    /** ECR's words; PENDING is Wharf's own (queued, not yet claimed). */
    enum Status {
        PENDING, IN_PROGRESS, COMPLETE, FAILED, UNSUPPORTED_IMAGE, ACTIVE;

        /** Still to run or running. */
        public boolean open() {
            return this == PENDING || this == IN_PROGRESS;
        }
    }

    /**
     * One image's scan ({@code account} and {@code repository} name the repository {@code repositoryId} is).
     *
     * @param scanType           BASIC or ENHANCED
     * @param trigger            MANUAL, SCAN_ON_PUSH, CONTINUOUS (what requested the last scan)
     * @param continuous         the image is under a continuous-scan rule: re-matched when the advisories change
     * @param advisoryGeneration the {@code AdvisoryIndex} generation the findings were matched against (0: none yet)
     * @param sourceUpdatedAt    the advisories' newest modification when matched, or null
     * @param attempts           claims since the scan was requested (a claim whose lease expired counts)
     * @param manualWindowStart  start of the 24-hour quota window, or null
     * @param manualCount        scans requested within the window (manual and on push)
     * @param severityCounts     severity → count, only non-zero ones
     */
    record ScanRecord(long repositoryId, String account, RepositoryName repository, Digest digest, Status status, String description, String scanType,
                      String trigger, boolean continuous, Instant requestedAt, Instant startedAt, Instant completedAt,
                      long advisoryGeneration, Instant sourceUpdatedAt, String owner, Instant leaseExpiresAt,
                      int attempts, Instant manualWindowStart, int manualCount, Map<String, Integer> severityCounts,
                      long version) {

        public ScanRecord {
            severityCounts = Map.copyOf(severityCounts);
        }
    }

    /**
     * What a finished scan stores. {@code inventory} and {@code findings} are opaque bytes the scanner writes
     * (compressed JSON); {@code inventory} is null when the image could not be analysed.
     */
    record ScanResult(Status status, String description, long advisoryGeneration, Instant sourceUpdatedAt,
                      byte[] inventory, byte[] findings, Map<String, Integer> severityCounts) {

        public ScanResult {
            java.util.Objects.requireNonNull(findings, "findings");
            severityCounts = Map.copyOf(severityCounts);
        }
    }

    /** A scan request: {@code quota} is how many requests the image may have in 24 hours (0: no limit). */
    record ScanRequest(String scanType, String trigger, boolean continuous, int quota) {
    }

    /** What {@link #requestScan} did. */
    enum RequestOutcome {
        /** A PENDING scan is recorded. */
        QUEUED,
        /** A scan is already pending or running: left as it is. */
        ALREADY_OPEN,
        /** The image had its quota of scans within 24 hours. */
        QUOTA_EXCEEDED,
        /** No such manifest in the repository. */
        NO_IMAGE
    }

    /**
     * Records a PENDING scan of the manifest (creating its record, or resetting a finished one: attempts 0,
     * the stored result kept until the new one replaces it), counting it against the 24-hour quota. The quota is
     * checked first: a request over it is refused even while a scan is open.
     */
    RequestOutcome requestScan(long repositoryId, Digest digest, ScanRequest request, Instant now);

    Optional<ScanRecord> findScan(long repositoryId, Digest digest);

    /** The stored findings bytes of the last finished scan. */
    Optional<byte[]> findings(long repositoryId, Digest digest);

    /** The stored inventory bytes of the last analysed scan. */
    Optional<byte[]> inventory(long repositoryId, Digest digest);

    /** Scans a node may claim now: PENDING ones and IN_PROGRESS ones whose lease expired before {@code now}, oldest request first. */
    List<ScanRecord> claimable(Instant now, int limit);

    /**
     * Takes the scan for {@code owner} until {@code leaseExpiresAt} when it is PENDING or IN_PROGRESS under a
     * lease that expired before {@code now}: IN_PROGRESS, attempts + 1. Empty when another node got it first.
     */
    Optional<ScanRecord> claimScan(long repositoryId, Digest digest, String owner, Instant now, Instant leaseExpiresAt);

    /**
     * Stores the result of the scan {@code owner} holds, only while it still holds it (IN_PROGRESS, same
     * owner). Joins the caller's transaction ({@link Transactions#inTransaction}) so the event that reports it
     * commits with it. False when the claim was lost.
     */
    boolean finishScan(long repositoryId, Digest digest, String owner, ScanResult result, Instant now);

    /**
     * Replaces a finished scan's result (a continuous re-match: status ACTIVE) when the record is still at
     * {@code expectedVersion}. False when it changed meanwhile.
     */
    boolean replaceResult(long repositoryId, Digest digest, long expectedVersion, ScanResult result, Instant now);

    /**
     * Finished, analysed scans of continuous images matched against an advisory generation below
     * {@code generation}, oldest match first.
     */
    List<ScanRecord> staleContinuous(long generation, int limit);

    /** The cached analysis of a layer by its uncompressed digest, for this analyzer version key. */
    Optional<byte[]> layerAnalysis(Digest diffId, String key);

    /** Stores (or replaces) a layer's analysis. */
    void putLayerAnalysis(Digest diffId, String key, byte[] analysis, Instant now);

    /** Drops cached layer analyses written before {@code before}, at most {@code limit}; returns how many. */
    int pruneLayerAnalyses(Instant before, int limit);
}
