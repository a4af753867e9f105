package io.wharf.storage.jdbc;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.InsightIndex;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link InsightIndex} over {@code layer_insight}, {@code layer_insight_chunk} and {@code insight_request} (V23).
 * Queued requests go with their manifest by the foreign key's cascade. No read cache holds these tables.
 */
final class JdbcInsights implements InsightIndex {
    private static final String COLUMNS = "layer_digest, format, status, detail, entries, file_bytes, shadowed_bytes,"
            + " chunks, computed_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM layer_insight WHERE layer_digest = ?";
    private static final String DELETE = "DELETE FROM layer_insight WHERE layer_digest = ?";
    private static final String DELETE_CHUNKS = "DELETE FROM layer_insight_chunk WHERE layer_digest = ?";
    private static final String INSERT = "INSERT INTO layer_insight (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_CHUNK = "INSERT INTO layer_insight_chunk (layer_digest, seq, first_path,"
            + " last_path, data) VALUES (?, ?, ?, ?, ?)";
    private static final String RANGES = "SELECT seq, first_path, last_path FROM layer_insight_chunk"
            + " WHERE layer_digest = ? ORDER BY seq";
    private static final String CHUNK = "SELECT data FROM layer_insight_chunk WHERE layer_digest = ? AND seq = ?";
    private static final String ORPHANS = "SELECT layer_digest FROM layer_insight l"
            + " WHERE NOT EXISTS (SELECT 1 FROM blob b WHERE b.digest = l.layer_digest) LIMIT ?";
    private static final String MANIFEST = "SELECT 1 FROM manifest WHERE repository_id = ? AND digest = ?";
    private static final String QUEUE = "SELECT q.repository_id, r.account, r.name, q.digest, q.requested_at"
            + " FROM insight_request q JOIN repository r ON r.id = q.repository_id ORDER BY q.requested_at LIMIT ?";
    private static final String DEQUEUE = "DELETE FROM insight_request WHERE repository_id = ? AND digest = ?";

    private final Jdbc jdbc;
    private final String enqueue;

    JdbcInsights(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.enqueue = dialect.insertIgnore("insight_request", List.of("repository_id", "digest", "requested_at"),
                List.of("repository_id", "digest"));
    }

    @Override
    public Optional<LayerInsight> layerInsight(Digest layer) {
        return jdbc.read("read layer insight", c -> Jdbc.queryOne(c, FIND, JdbcInsights::insight, layer));
    }

    @Override
    public void putLayerInsight(LayerInsight i, List<Chunk> chunks) {
        jdbc.writeRelaxed("store layer insight", c -> {
            Jdbc.update(c, DELETE_CHUNKS, i.layer());
            Jdbc.update(c, DELETE, i.layer());
            Jdbc.update(c, INSERT, i.layer(), i.format(), i.status().name(), i.detail(), i.entries(), i.fileBytes(),
                    i.shadowedBytes(), i.chunks(), i.computedAt());
            List<Object[]> rows = new ArrayList<>();
            for (Chunk chunk : chunks) {
                rows.add(new Object[] {i.layer(), chunk.seq(), chunk.firstPath(), chunk.lastPath(), chunk.data()});
            }
            Jdbc.batch(c, INSERT_CHUNK, rows);
            return null;
        });
    }

    @Override
    public List<ChunkRange> insightChunks(Digest layer) {
        return jdbc.read("list layer insight chunks", c -> Jdbc.query(c, RANGES,
                rs -> new ChunkRange(rs.getInt(1), rs.getString(2), rs.getString(3)), layer));
    }

    @Override
    public Optional<byte[]> insightChunk(Digest layer, int seq) {
        return jdbc.read("read a layer insight chunk", c -> Jdbc.queryOne(c, CHUNK, rs -> rs.getBytes(1), layer, seq));
    }

    @Override
    public int pruneLayerInsights(int limit) {
        return jdbc.writeUncached("prune layer insight", c -> {
            int removed = 0;
            for (String layer : Jdbc.query(c, ORPHANS, rs -> rs.getString(1), limit)) {
                Jdbc.update(c, DELETE_CHUNKS, layer);
                removed += Jdbc.update(c, DELETE, layer);
            }
            return removed;
        });
    }

    @Override
    public int requestInsights(List<QueuedImage> images, Instant now) {
        if (images.isEmpty()) {
            return 0;
        }
        return jdbc.writeRelaxed("queue images for insight", c -> {
            int queued = 0;
            for (QueuedImage i : images) {
                if (Jdbc.queryOne(c, MANIFEST, rs -> 1, i.repositoryId(), i.image()).isPresent()) {
                    queued += Jdbc.update(c, enqueue, i.repositoryId(), i.image(), now);
                }
            }
            return queued;
        });
    }

    @Override
    public List<InsightRequest> insightRequests(int limit) {
        return jdbc.read("list insight requests", c -> Jdbc.query(c, QUEUE, rs -> new InsightRequest(rs.getLong(1),
                rs.getString(2), new RepositoryName(rs.getString(3)), Digest.parse(rs.getString(4)),
                Jdbc.instant(rs, "requested_at")), limit));
    }

    @Override
    public int finishInsightRequests(List<QueuedImage> images) {
        if (images.isEmpty()) {
            return 0;
        }
        return jdbc.writeRelaxed("finish insight requests", c -> {
            int finished = 0;
            for (QueuedImage i : images) {
                finished += Jdbc.update(c, DEQUEUE, i.repositoryId(), i.image());
            }
            return finished;
        });
    }

    private static LayerInsight insight(ResultSet rs) throws SQLException {
        return new LayerInsight(Digest.parse(rs.getString("layer_digest")), rs.getInt("format"),
                Status.valueOf(rs.getString("status")), rs.getString("detail"), rs.getLong("entries"),
                rs.getLong("file_bytes"), rs.getLong("shadowed_bytes"), rs.getInt("chunks"),
                Jdbc.instant(rs, "computed_at"));
    }
}
