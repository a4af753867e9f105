package io.wharf.storage.jdbc;

import io.wharf.storage.s3.S3Domain;
import io.wharf.storage.s3.S3Settings;
import io.wharf.storage.s3.S3UploadRecords;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link S3UploadRecords} over the {@code s3_upload} and {@code s3_upload_part} tables. */
final class JdbcS3Uploads implements S3UploadRecords {
    private static final String EXISTS = "SELECT 1 FROM s3_upload WHERE id = ?";
    private static final String INSERT = "INSERT INTO s3_upload (id, part_size, length, modified_at, sse, kms_key) VALUES (?, ?, 0, ?, ?, ?)";
    private static final String FIND = "SELECT id, part_size, length, modified_at, sse, kms_key FROM s3_upload WHERE id = ?";
    private static final String SET_LENGTH = "UPDATE s3_upload SET length = ?, modified_at = ? WHERE id = ?";
    private static final String DROP_PARTS_AFTER = "DELETE FROM s3_upload_part WHERE upload_id = ? AND part_number > ?";
    private static final String DROP_PART = "DELETE FROM s3_upload_part WHERE upload_id = ? AND part_number = ?";
    private static final String INSERT_PART = "INSERT INTO s3_upload_part (upload_id, part_number, size, etag) VALUES (?, ?, ?, ?)";
    private static final String PARTS = "SELECT part_number, size, etag FROM s3_upload_part WHERE upload_id = ? ORDER BY part_number";
    private static final String DELETE = "DELETE FROM s3_upload WHERE id = ?";
    private static final String DELETE_PARTS = "DELETE FROM s3_upload_part WHERE upload_id = ?";
    private static final String IDS = "SELECT id FROM s3_upload ORDER BY id";

    private final Jdbc jdbc;

    JdbcS3Uploads(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean create(String id, long partSize, S3Domain domain, Instant now) {
        return jdbc.writeUncached("create s3 upload", c -> {
            jdbc.lock(c, "s3 upload " + id); // two nodes never create one id; the lock only makes the check exact
            if (Jdbc.queryOne(c, EXISTS, rs -> 1, id).isPresent()) {
                return false;
            }
            Jdbc.update(c, INSERT, id, partSize, now, domain == null ? null : domain.sse().value(),
                    domain == null ? null : domain.kmsKeyId());
            return true;
        });
    }

    @Override
    public Optional<Upload> find(String id) {
        return jdbc.read("find s3 upload", c -> Jdbc.queryOne(c, FIND, JdbcS3Uploads::upload, id));
    }

    @Override
    public boolean truncate(String id, long length, int lastPart, Instant now) {
        return jdbc.writeUncached("truncate s3 upload", c -> {
            Jdbc.update(c, DROP_PARTS_AFTER, id, lastPart);
            return Jdbc.update(c, SET_LENGTH, length, now, id) > 0;
        });
    }

    @Override
    public void putPart(String id, Part part, long length, Instant now) {
        jdbc.writeUncached("put s3 upload part", c -> {
            Jdbc.update(c, DROP_PART, id, part.number());
            Jdbc.update(c, INSERT_PART, id, part.number(), part.size(), part.etag());
            return Jdbc.update(c, SET_LENGTH, length, now, id);
        });
    }

    @Override
    public List<Part> parts(String id) {
        return jdbc.read("s3 upload parts", c -> Jdbc.query(c, PARTS,
                rs -> new Part(rs.getInt("part_number"), rs.getLong("size"), rs.getString("etag")), id));
    }

    @Override
    public void delete(String id) {
        jdbc.writeUncached("delete s3 upload", c -> {
            Jdbc.update(c, DELETE_PARTS, id);
            return Jdbc.update(c, DELETE, id);
        });
    }

    @Override
    public List<String> ids() {
        return jdbc.read("s3 upload ids", c -> Jdbc.query(c, IDS, rs -> rs.getString("id")));
    }

    private static Upload upload(ResultSet rs) throws SQLException {
        String sse = rs.getString("sse");
        return new Upload(rs.getString("id"), rs.getLong("part_size"), rs.getLong("length"), Jdbc.instant(rs, "modified_at"),
                sse == null ? null : new S3Domain(S3Settings.Sse.parse(sse), rs.getString("kms_key")));
    }
}
