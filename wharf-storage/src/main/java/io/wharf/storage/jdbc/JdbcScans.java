package io.wharf.storage.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.ScanIndex;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ScanIndex} over the {@code scan} and {@code scan_layer} tables (V16). Every change of a scan row is
 * one conditional UPDATE (on its status and owner, or its version), so it is atomic across processes. Rows go
 * with their manifest by the foreign key's cascade. No read cache holds these tables.
 */
final class JdbcScans implements ScanIndex {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Integer>> COUNTS = new TypeReference<>() { };
    private static final Duration DAY = Duration.ofHours(24);

    private static final String COLUMNS = "repository_id, r.account, r.name, digest, status, description, scan_type, trigger_kind, continuous,"
            + " requested_at, started_at, completed_at, advisory_generation, source_updated_at, owner, lease_expires_at,"
            + " attempts, manual_window_start, manual_count, severity_counts, version";
    private static final String KEY = " WHERE repository_id = ? AND digest = ?";
    private static final String FIND = "SELECT " + COLUMNS + " FROM scan JOIN repository r ON r.id = repository_id" + KEY;
    private static final String MANIFEST = "SELECT 1 FROM manifest" + KEY;
    private static final String INSERT = "INSERT INTO scan (repository_id, digest, status, scan_type, trigger_kind, continuous,"
            + " requested_at, manual_window_start, manual_count, version) VALUES (?, ?, 'PENDING', ?, ?, ?, ?, ?, 1, 1)";
    private static final String REQUEST = "UPDATE scan SET status = 'PENDING', description = NULL, scan_type = ?,"
            + " trigger_kind = ?, continuous = ?, requested_at = ?, owner = NULL, lease_expires_at = NULL, attempts = 0,"
            + " manual_window_start = ?, manual_count = ?, version = version + 1" + KEY + " AND version = ?";
    private static final String OPEN = " (status = 'PENDING' OR (status = 'IN_PROGRESS' AND lease_expires_at < ?))";
    private static final String CLAIMABLE = "SELECT " + COLUMNS + " FROM scan JOIN repository r ON r.id = repository_id WHERE" + OPEN + " ORDER BY requested_at LIMIT ?";
    private static final String CLAIM = "UPDATE scan SET status = 'IN_PROGRESS', description = NULL, owner = ?,"
            + " lease_expires_at = ?, started_at = ?, attempts = attempts + 1, version = version + 1" + KEY + " AND" + OPEN;
    private static final String RESULT = "UPDATE scan SET status = ?, description = ?, completed_at = ?, advisory_generation = ?,"
            + " source_updated_at = ?, severity_counts = ?, findings = ?, owner = NULL, lease_expires_at = NULL,"
            + " version = version + 1";
    private static final String FINISH = KEY + " AND status = 'IN_PROGRESS' AND owner = ?";
    private static final String REPLACE = KEY + " AND version = ?";
    private static final String STALE = "SELECT " + COLUMNS + " FROM scan JOIN repository r ON r.id = repository_id WHERE continuous = 1 AND inventory IS NOT NULL"
            + " AND status IN ('COMPLETE', 'ACTIVE', 'FAILED', 'UNSUPPORTED_IMAGE') AND advisory_generation < ?"
            + " ORDER BY completed_at LIMIT ?";
    private static final String LAYER = "SELECT analysis FROM scan_layer WHERE diff_id = ? AND cache_key = ?";
    private static final String LAYER_DELETE = "DELETE FROM scan_layer WHERE diff_id = ? AND cache_key = ?";
    private static final String PRUNE_PICK = "SELECT diff_id, cache_key FROM scan_layer WHERE created_at < ? ORDER BY created_at LIMIT ?";

    private final Jdbc jdbc;
    private final String layerInsert;
    /** The image's row, locked until the request commits: two nodes queueing one image's first scan take turns. */
    private final String manifestLocked;

    JdbcScans(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.layerInsert = dialect.upsert("scan_layer", List.of("diff_id", "cache_key", "analysis", "created_at"),
                List.of("diff_id", "cache_key"), List.of("analysis", "created_at"));
        this.manifestLocked = MANIFEST + jdbc.lockRows(SqlDialect.RowLock.NO_KEY_UPDATE);
    }

    @Override
    public RequestOutcome requestScan(long repositoryId, Digest digest, ScanRequest request, Instant now) {
        return jdbc.writeUncached("request scan", c -> {
            if (Jdbc.queryOne(c, manifestLocked, rs -> 1, repositoryId, digest).isEmpty()) {
                return RequestOutcome.NO_IMAGE;
            }
            Optional<ScanRecord> found = Jdbc.queryOne(c, FIND, JdbcScans::record, repositoryId, digest);
            if (found.isEmpty()) {
                Jdbc.update(c, INSERT, repositoryId, digest, request.scanType(), request.trigger(),
                        request.continuous() ? 1 : 0, now, now);
                return RequestOutcome.QUEUED;
            }
            return requeue(c, found.get(), request, now);
        });
    }

    private static RequestOutcome requeue(Connection c, ScanRecord old, ScanRequest request, Instant now) throws SQLException {
        boolean windowOpen = old.manualWindowStart() != null && old.manualWindowStart().plus(DAY).isAfter(now);
        int count = windowOpen ? old.manualCount() : 0;
        if (request.quota() > 0 && count >= request.quota()) {
            return RequestOutcome.QUOTA_EXCEEDED;
        }
        if (old.status().open()) {
            return RequestOutcome.ALREADY_OPEN;
        }
        int changed = Jdbc.update(c, REQUEST, request.scanType(), request.trigger(), request.continuous() ? 1 : 0, now,
                windowOpen ? old.manualWindowStart() : now, count + 1, old.repositoryId(), old.digest(), old.version());
        // another node changed the row between our read and write: it queued (or claimed) it
        return changed == 1 ? RequestOutcome.QUEUED : RequestOutcome.ALREADY_OPEN;
    }

    @Override
    public Optional<ScanRecord> findScan(long repositoryId, Digest digest) {
        return jdbc.read("find scan", c -> Jdbc.queryOne(c, FIND, JdbcScans::record, repositoryId, digest));
    }

    @Override
    public Optional<byte[]> findings(long repositoryId, Digest digest) {
        return bytes("findings", repositoryId, digest);
    }

    @Override
    public Optional<byte[]> inventory(long repositoryId, Digest digest) {
        return bytes("inventory", repositoryId, digest);
    }

    private Optional<byte[]> bytes(String column, long repositoryId, Digest digest) {
        return jdbc.read("read scan " + column, c -> Jdbc.queryOne(c, "SELECT " + column + " FROM scan" + KEY,
                rs -> Optional.ofNullable(rs.getBytes(1)), repositoryId, digest)).flatMap(o -> o);
    }

    @Override
    public List<ScanRecord> claimable(Instant now, int limit) {
        return jdbc.read("claimable scans", c -> Jdbc.query(c, CLAIMABLE, JdbcScans::record, now, limit));
    }

    @Override
    public Optional<ScanRecord> claimScan(long repositoryId, Digest digest, String owner, Instant now, Instant leaseExpiresAt) {
        return jdbc.writeUncached("claim scan", c -> {
            if (Jdbc.update(c, CLAIM, owner, leaseExpiresAt, now, repositoryId, digest, now) == 0) {
                return Optional.empty();
            }
            return Jdbc.queryOne(c, FIND, JdbcScans::record, repositoryId, digest);
        });
    }

    @Override
    public boolean finishScan(long repositoryId, Digest digest, String owner, ScanResult result, Instant now) {
        return store("finish scan", result, now, FINISH, repositoryId, digest, owner);
    }

    @Override
    public boolean replaceResult(long repositoryId, Digest digest, long expectedVersion, ScanResult result, Instant now) {
        return store("replace scan result", result, now, REPLACE, repositoryId, digest, expectedVersion);
    }

    private boolean store(String what, ScanResult r, Instant now, String where, Object... key) {
        String set = r.inventory() == null ? RESULT : RESULT + ", inventory = ?";
        Object[] values = r.inventory() == null
                ? new Object[] {r.status().name(), r.description(), now, r.advisoryGeneration(), r.sourceUpdatedAt(),
                        json(r.severityCounts()), r.findings()}
                : new Object[] {r.status().name(), r.description(), now, r.advisoryGeneration(), r.sourceUpdatedAt(),
                        json(r.severityCounts()), r.findings(), r.inventory()};
        Object[] args = new Object[values.length + key.length];
        System.arraycopy(values, 0, args, 0, values.length);
        System.arraycopy(key, 0, args, values.length, key.length);
        return jdbc.writeUncached(what, c -> Jdbc.update(c, set + where, args)) == 1;
    }

    @Override
    public List<ScanRecord> staleContinuous(long generation, int limit) {
        return jdbc.read("stale continuous scans", c -> Jdbc.query(c, STALE, JdbcScans::record, generation, limit));
    }

    @Override
    public Optional<byte[]> layerAnalysis(Digest diffId, String key) {
        return jdbc.read("read layer analysis", c -> Jdbc.queryOne(c, LAYER, rs -> rs.getBytes(1), diffId, key));
    }

    /** Replaces (a damaged entry is analysed again and rewritten); two nodes writing at once both succeed. */
    @Override
    public void putLayerAnalysis(Digest diffId, String key, byte[] analysis, Instant now) {
        jdbc.writeUncached("store layer analysis", c -> Jdbc.update(c, layerInsert, diffId, key, analysis, now));
    }

    @Override
    public int pruneLayerAnalyses(Instant before, int limit) {
        return jdbc.writeUncached("prune layer analyses", c -> {
            int removed = 0;
            for (String[] k : Jdbc.query(c, PRUNE_PICK, rs -> new String[] {rs.getString(1), rs.getString(2)}, before, limit)) {
                removed += Jdbc.update(c, LAYER_DELETE, k[0], k[1]);
            }
            return removed;
        });
    }

    private static ScanRecord record(ResultSet rs) throws SQLException {
        return new ScanRecord(rs.getLong("repository_id"), rs.getString("account"), new RepositoryName(rs.getString("name")),
                Digest.parse(rs.getString("digest")),
                Status.valueOf(rs.getString("status")), rs.getString("description"), rs.getString("scan_type"),
                rs.getString("trigger_kind"), rs.getInt("continuous") == 1, instantOrNull(rs, "requested_at"),
                instantOrNull(rs, "started_at"), instantOrNull(rs, "completed_at"), rs.getLong("advisory_generation"),
                instantOrNull(rs, "source_updated_at"), rs.getString("owner"), instantOrNull(rs, "lease_expires_at"),
                rs.getInt("attempts"), instantOrNull(rs, "manual_window_start"), rs.getInt("manual_count"),
                counts(rs.getString("severity_counts")), rs.getLong("version"));
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static Map<String, Integer> counts(String text) {
        try {
            return JSON.readValue(text, COUNTS);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static String json(Map<String, Integer> counts) {
        try {
            return JSON.writeValueAsString(counts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
