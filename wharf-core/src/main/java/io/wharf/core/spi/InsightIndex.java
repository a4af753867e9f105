package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Layer insight (docs/layer-insight.md): one record per layer digest, computed once and shared by every image and
 * repository that has the layer, with the layer's entries in path-ordered chunks (opaque bytes the analyser
 * writes, each bounded, so a layer of a million files is many small rows, never one huge one); and the queue of
 * images whose layers are still to be read.
 */
public interface InsightIndex {

    /** How reading the layer went. */
    enum Status {
        /** Read; the chunks hold every entry. */
        COMPLETE,
        /** Over a configured limit (entries or bytes): no chunks. */
        TOO_LARGE,
        /** Not a readable tar (damaged, unknown compression): no chunks. */
        UNREADABLE
    }

    /**
     * One layer's record.
     *
     * @param format        the analyser's format version; a record of another version is computed again
     * @param detail        why the layer was not read (TOO_LARGE, UNREADABLE), else null
     * @param entries       entries kept (files, directories, links, whiteouts)
     * @param fileBytes     bytes of its regular files, the copies it holds twice included
     * @param shadowedBytes bytes of files the layer itself holds twice (a later entry of the same path wins)
     * @param chunks        how many chunks hold the entries (seq 0 to chunks - 1)
     */
    record LayerInsight(Digest layer, int format, Status status, String detail, long entries, long fileBytes,
                        long shadowedBytes, int chunks, Instant computedAt) {
    }

    /** Where a chunk sits in the layer's path order: every path of it is within [firstPath, lastPath]. */
    record ChunkRange(int seq, String firstPath, String lastPath) {
    }

    /** A chunk to store. */
    record Chunk(int seq, String firstPath, String lastPath, byte[] data) {
        public ChunkRange range() {
            return new ChunkRange(seq, firstPath, lastPath);
        }
    }

    /** A queued image: its layers are read by the {@code insight} job. */
    record InsightRequest(long repositoryId, String account, RepositoryName repository, Digest image,
                          Instant requestedAt) {
    }

    Optional<LayerInsight> layerInsight(Digest layer);

    /** Stores the record and its chunks in one transaction, replacing an earlier record of the layer and its chunks. */
    void putLayerInsight(LayerInsight insight, List<Chunk> chunks);

    /** The chunks' ranges in seq order (no data). */
    List<ChunkRange> insightChunks(Digest layer);

    Optional<byte[]> insightChunk(Digest layer, int seq);

    /**
     * Drops the records (with their chunks) of layers the registry no longer stores (no blob row: garbage collection
     * deleted the blob), at most {@code limit}; returns how many. A layer pushed again is read again.
     */
    int pruneLayerInsights(int limit);

    /** An image of a repository, as the queue knows it. */
    record QueuedImage(long repositoryId, Digest image) {
    }

    /**
     * Queues the images (manifests of their repositories), all in one write: a push load queues a batch of the
     * outbox's events at once. Idempotent; returns how many it queued (not those queued already or not stored).
     */
    int requestInsights(List<QueuedImage> images, Instant now);

    /** The oldest queued images, at most {@code limit}; a request goes with its manifest. */
    List<InsightRequest> insightRequests(int limit);

    /** Takes the images off the queue, all in one write; returns how many were queued. */
    int finishInsightRequests(List<QueuedImage> images);
}
