package io.wharf.storage.jdbc;

import io.wharf.core.spi.UploadAdmission;
import io.wharf.core.spi.UploadIndex;
import io.wharf.core.spi.UploadCheckpoint;
import io.wharf.core.spi.UploadParts;
import io.wharf.core.spi.UploadSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link UploadIndex} over the {@code upload} table. */
final class JdbcUploads implements UploadIndex {

    private static final String COLUMNS = "id, repository_id, byte_offset, started_at, expires_at, owner";
    private static final String INSERT = "INSERT INTO upload (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)";
    private static final String OPEN_BY_OWNER = "SELECT COUNT(*) FROM upload WHERE owner = ? AND expires_at > ?";
    private static final String OPEN = "SELECT COUNT(*) FROM upload WHERE expires_at > ?";
    private static final String FIND = "SELECT " + COLUMNS + " FROM upload WHERE id = ?";
    // the offset's compare-and-set: under READ COMMITTED PostgreSQL re-checks the condition on the row it locked
    private static final String UPDATE =
            "UPDATE upload SET byte_offset = ?, expires_at = ?, hash_state = ? WHERE id = ? AND byte_offset = ?";
    // a null is bound as text, which PostgreSQL refuses for a bytea column
    private static final String UPDATE_WITHOUT_STATE =
            "UPDATE upload SET byte_offset = ?, expires_at = ?, hash_state = NULL WHERE id = ? AND byte_offset = ?";
    private static final String CHECKPOINT = "SELECT byte_offset, hash_state FROM upload WHERE id = ?";
    private static final String DELETE = "DELETE FROM upload WHERE id = ?";
    private static final String PARTS = "SELECT part_count, last_part_size, undersized_part FROM upload WHERE id = ?";
    private static final String PUT_PARTS = "UPDATE upload SET part_count = ?, last_part_size = ?, undersized_part = ? WHERE id = ?";
    private static final String EXPIRED = "SELECT " + COLUMNS + " FROM upload WHERE expires_at < ? ORDER BY expires_at, id LIMIT ?";

    private final Jdbc jdbc;

    JdbcUploads(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public UploadAdmission createUpload(UploadSession s, int maxOpenPerOwner, int maxOpen) {
        // the counts cannot change before the insert: SQLite has a single writer, other databases take a lock
        return jdbc.writeUncached("create upload", c -> {
            jdbc.lock(c, "upload admission");
            if (!jdbc.guard(c, s.repositoryId())) {
                return UploadAdmission.REPOSITORY_UNKNOWN;
            }
            if (count(c, OPEN_BY_OWNER, s.owner(), s.startedAt()) >= maxOpenPerOwner) {
                return UploadAdmission.OWNER_LIMIT;
            }
            if (count(c, OPEN, s.startedAt()) >= maxOpen) {
                return UploadAdmission.REGISTRY_LIMIT;
            }
            Jdbc.update(c, INSERT, s.id(), s.repositoryId(), s.offset(), s.startedAt(), s.expiresAt(), s.owner());
            return UploadAdmission.OPENED;
        });
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        return Jdbc.queryOne(c, sql, rs -> rs.getLong(1), args).orElse(0L);
    }

    @Override
    public Optional<UploadSession> findUpload(String id) {
        return jdbc.read("find upload", c -> Jdbc.queryOne(c, FIND, JdbcUploads::session, id));
    }

    @Override
    public boolean updateUpload(String id, long expectedOffset, long newOffset, Instant expiresAt, byte[] hashState) {
        // every acknowledged chunk lands here: no cached table changes, so the read cache stays warm through pushes
        return jdbc.writeUncached("update upload", c -> (hashState == null
                ? Jdbc.update(c, UPDATE_WITHOUT_STATE, newOffset, expiresAt, id, expectedOffset)
                : Jdbc.update(c, UPDATE, newOffset, expiresAt, hashState, id, expectedOffset)) > 0);
    }

    @Override
    public Optional<UploadCheckpoint> uploadCheckpoint(String id) {
        return jdbc.read("upload checkpoint", c -> Jdbc.queryOne(c, CHECKPOINT,
                rs -> new UploadCheckpoint(rs.getLong("byte_offset"), rs.getBytes("hash_state")), id));
    }

    @Override
    public void deleteUpload(String id) {
        jdbc.writeUncached("delete upload", c -> Jdbc.update(c, DELETE, id));
    }

    @Override
    public UploadParts uploadParts(String id) {
        return jdbc.read("upload parts", c -> Jdbc.queryOne(c, PARTS, rs -> new UploadParts(rs.getInt("part_count"),
                rs.getLong("last_part_size"), rs.getInt("undersized_part") != 0), id)).orElse(UploadParts.NONE);
    }

    @Override
    public void putUploadParts(String id, UploadParts p) {
        jdbc.writeUncached("put upload parts", c -> Jdbc.update(c, PUT_PARTS, p.count(), p.lastPartSize(), p.undersized() ? 1 : 0, id));
    }

    @Override
    public long openUploads(Instant now) {
        return jdbc.read("open uploads", c -> count(c, OPEN, now));
    }

    @Override
    public List<UploadSession> expiredUploads(Instant now, int limit) {
        return jdbc.read("expired uploads", c -> Jdbc.query(c, EXPIRED, JdbcUploads::session, now, Math.max(limit, 0)));
    }

    private static UploadSession session(ResultSet rs) throws SQLException {
        return new UploadSession(rs.getString("id"), rs.getLong("repository_id"), rs.getLong("byte_offset"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "expires_at"), rs.getString("owner"));
    }
}
