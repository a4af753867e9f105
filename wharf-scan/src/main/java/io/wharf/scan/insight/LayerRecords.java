package io.wharf.scan.insight;

import io.wharf.core.model.Digest;
import io.wharf.core.service.BlobService;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.InsightIndex;
import io.wharf.core.spi.InsightIndex.Chunk;
import io.wharf.core.spi.InsightIndex.ChunkRange;
import io.wharf.core.spi.InsightIndex.LayerInsight;
import io.wharf.core.spi.InsightIndex.Status;
import io.wharf.scan.layer.AnalysisException;
import io.wharf.scan.layer.LayerSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The stored per-layer records: reading a layer blob into one, and its entries back out of its chunks. */
final class LayerRecords {
    /** Bumped when what a record holds changes: records of another format are computed again. */
    static final int FORMAT = 1;

    private final InsightIndex index;
    private final BlobService blobs;
    private final InsightSettings settings;
    private final Clock clock;

    LayerRecords(InsightIndex index, BlobService blobs, InsightSettings settings, Clock clock) {
        this.index = index;
        this.blobs = blobs;
        this.settings = settings;
        this.clock = clock;
    }

    /** The layer's record when one of this format is stored. */
    Optional<LayerInsight> current(Digest layer) {
        return index.layerInsight(layer).filter(r -> r.format() == FORMAT);
    }

    /** Reads the layer blob (through the repository that links it) and stores its record. */
    LayerInsight compute(RepoKey key, ImageLayers.Layer layer) throws IOException {
        LayerSource source = new LayerSource(layer.digest(), null, layer.size(), null,
                () -> Channels.newInputStream(blobs.open(key, layer.digest())));
        LayerInsight record;
        List<Chunk> chunks = List.of();
        try {
            LayerEntries read = new LayerInsightReader(settings.maxLayerBytes(), settings.maxLayerEntries()).read(source);
            chunks = EntryChunks.encode(read.entries(), settings.chunkEntries());
            record = new LayerInsight(layer.digest(), FORMAT, Status.COMPLETE, null, read.entries().size(),
                    read.fileBytes(), read.shadowedBytes(), chunks.size(), clock.instant());
        } catch (AnalysisException e) {
            Status status = e.reason() == AnalysisException.Reason.TOO_LARGE ? Status.TOO_LARGE : Status.UNREADABLE;
            record = new LayerInsight(layer.digest(), FORMAT, status, e.getMessage(), 0, 0, 0, 0, clock.instant());
        }
        index.putLayerInsight(record, chunks);
        return record;
    }

    /** Every entry of a COMPLETE record, path-ordered, with its byte totals. */
    LayerEntries entries(LayerInsight record) {
        List<InsightEntry> all = entries(record, range -> true, path -> true);
        return new LayerEntries(all, record.fileBytes(), record.shadowedBytes());
    }

    /** The entries of the chunks {@code chunks} accepts that {@code keep} accepts, path-ordered. */
    List<InsightEntry> entries(LayerInsight record, Predicate<ChunkRange> chunks, Predicate<String> keep) {
        List<InsightEntry> out = new ArrayList<>();
        for (ChunkRange range : index.insightChunks(record.layer())) {
            if (!chunks.test(range)) {
                continue;
            }
            byte[] data = index.insightChunk(record.layer(), range.seq())
                    .orElseThrow(() -> new IllegalStateException("chunk " + range.seq() + " of " + record.layer() + " is gone"));
            try {
                EntryChunks.decode(data).stream().filter(e -> keep.test(e.path())).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("chunk " + range.seq() + " of " + record.layer() + " is damaged", e);
            }
        }
        return out;
    }
}
