package io.wharf.storage.jdbc;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.BlobIndex;
import io.wharf.core.spi.StoredBlob;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** {@link BlobIndex} over the {@code blob} and {@code repository_blob} tables. */
final class JdbcBlobs implements BlobIndex {

    private static final String SIZE = "SELECT size FROM blob WHERE digest = ?";
    private static final String LINKED_SIZE = "SELECT b.size FROM blob b JOIN repository_blob rb ON rb.digest = b.digest"
            + " WHERE rb.repository_id = ? AND rb.digest = ?";
    private static final String HOLDERS = "SELECT r.name FROM repository_blob rb JOIN repository r ON r.id = rb.repository_id"
            + " WHERE rb.digest = ? AND r.account = ? ORDER BY r.name LIMIT ?";
    private static final String UNLINK = "DELETE FROM repository_blob WHERE repository_id = ? AND digest = ?";
    private static final String LIST = "SELECT digest, size FROM blob WHERE digest > ? ORDER BY digest LIMIT ?";
    /** A blob pushed or mounted again is in use again: its review waits a whole grace period from now (V10). */
    private static final String TOUCH_REVIEW = "UPDATE gc_blob_review SET review_after = NULL WHERE digest = ?"
            + " AND review_after IS NOT NULL";
    private static final String LINKED_AMONG = "SELECT digest FROM repository_blob WHERE repository_id = ? AND digest IN (%s)";

    private final Jdbc jdbc;
    private final String insertBlob;
    private final String insertLink;
    private final String linkFromSource;

    JdbcBlobs(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.insertBlob = dialect.insertIgnore("blob", List.of("digest", "size", "created_at"), List.of("digest"));
        this.insertLink = dialect.insertIgnore("repository_blob", List.of("repository_id", "digest", "created_at"),
                List.of("repository_id", "digest"));
        this.linkFromSource = dialect.insertIgnoreSelect("repository_blob", List.of("repository_id", "digest", "created_at"),
                List.of("repository_id", "digest"), "SELECT ?, digest, ? FROM repository_blob WHERE repository_id = ? AND digest = ?");
    }

    @Override
    public boolean addBlob(long repositoryId, Digest digest, long size, Instant now) {
        return jdbc.write("add blob", c -> {
            Jdbc.update(c, insertBlob, digest, size, now);
            Jdbc.update(c, TOUCH_REVIEW, digest);
            return link(c, repositoryId, digest, now);
        });
    }

    @Override
    public OptionalLong blobSize(Digest digest) {
        return jdbc.read("blob size", c -> size(c, digest));
    }

    @Override
    public OptionalLong linkedBlobSize(long repositoryId, Digest digest) {
        return jdbc.read("linked blob size", repositoryId, c -> Jdbc.queryOne(c, LINKED_SIZE, rs -> rs.getLong("size"), repositoryId, digest)
                .map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    @Override
    public boolean linkBlob(long sourceRepositoryId, long targetRepositoryId, Digest digest, Instant now) {
        return jdbc.write("link blob", c -> {
            if (!jdbc.guard(c, targetRepositoryId)) {
                return false; // deleted while the mount ran: false, not a key violation
            }
            Jdbc.update(c, linkFromSource, targetRepositoryId, now, sourceRepositoryId, digest);
            Jdbc.update(c, TOUCH_REVIEW, digest);
            // the insert is a no-op when the target already held the blob: ask the source, in this transaction
            return Jdbc.queryOne(c, LINKED_SIZE, rs -> rs.getLong("size"), sourceRepositoryId, digest).isPresent();
        });
    }

    /** Links unless the repository is gone (deleted while an upload or mount ran): false then, not a key violation. */
    private boolean link(Connection c, long repositoryId, Digest digest, Instant now) throws SQLException {
        if (!jdbc.guard(c, repositoryId)) {
            return false;
        }
        Jdbc.update(c, insertLink, repositoryId, digest, now);
        return true;
    }

    @Override
    public List<RepositoryName> repositoriesHolding(String account, Digest digest, int limit) {
        return jdbc.read("repositories holding blob", c -> Jdbc.query(c, HOLDERS,
                rs -> RepositoryName.parse(rs.getString("name")), digest, account, limit));
    }

    @Override
    public boolean unlinkBlob(long repositoryId, Digest digest) {
        return jdbc.write("unlink blob", c -> Jdbc.update(c, UNLINK, repositoryId, digest) > 0);
    }

    @Override
    public Set<Digest> missingBlobs(long repositoryId, Collection<Digest> digests) {
        return jdbc.read("missing blobs", repositoryId, c -> missing(c, LINKED_AMONG, repositoryId, digests));
    }

    @Override
    public List<StoredBlob> listBlobs(Digest after, int limit) {
        return jdbc.read("list blobs", c -> Jdbc.query(c, LIST,
                rs -> new StoredBlob(Digest.parse(rs.getString("digest")), rs.getLong("size")),
                after == null ? "" : after.toString(), limit));
    }

    /**
     * The digests for which {@code sqlTemplate} (repository id, then an IN list) finds no row.
     * Shared with manifests, which ask the same question of another table.
     */
    static Set<Digest> missing(Connection c, String sqlTemplate, long repositoryId, Collection<Digest> digests)
            throws SQLException {
        return missing(c, sqlTemplate, List.of(repositoryId), digests);
    }

    /** As above with any leading arguments ({@code leading}, then the IN list); the garbage collector's "which have no row?". */
    static Set<Digest> missing(Connection c, String sqlTemplate, List<Object> leading, Collection<Digest> digests)
            throws SQLException {
        Set<Digest> missing = new LinkedHashSet<>(digests);
        List<Digest> all = List.copyOf(missing);
        for (int from = 0; from < all.size(); from += Jdbc.MAX_IN_LIST) {
            List<Digest> chunk = all.subList(from, Math.min(all.size(), from + Jdbc.MAX_IN_LIST));
            List<Object> args = new ArrayList<>(leading);
            args.addAll(chunk);
            String sql = sqlTemplate.formatted(Jdbc.placeholders(chunk.size()));
            Jdbc.query(c, sql, rs -> Digest.parse(rs.getString("digest")), args.toArray()).forEach(missing::remove);
        }
        return missing;
    }

    private static OptionalLong size(Connection c, Digest digest) throws SQLException {
        return Jdbc.queryOne(c, SIZE, rs -> rs.getLong("size"), digest)
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }
}
