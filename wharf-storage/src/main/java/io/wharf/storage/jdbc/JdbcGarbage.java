package io.wharf.storage.jdbc;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.GarbageIndex;
import io.wharf.core.spi.StoredBlob;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link GarbageIndex} over {@code gc_blob_review}; the triggers of migration V10 fill the queue. A review is
 * checked and acted on in one transaction, so a push that references the blob, a mount or an upload of it
 * either commits before (the blob is kept) or after (it no longer finds the blob, and uploads it again). With
 * several writers (PostgreSQL) that order comes from row locks: the review's row (uploads and mounts postpone it
 * first) and the blob's links (a push's check keeps them, {@link JdbcBlobs#missingBlobs}). None of
 * these writes touches a table the read cache answers from, so they leave it warm: pulls keep their speed while a
 * collection runs.
 */
final class JdbcGarbage implements GarbageIndex {

    private static final String SCHEDULE = "UPDATE gc_blob_review SET review_after = ? WHERE review_after IS NULL";
    private static final String DUE = "SELECT digest FROM gc_blob_review WHERE review_after <= ? AND digest > ?"
            + " ORDER BY digest LIMIT ?";
    private static final String REVIEW_AFTER = "SELECT review_after FROM gc_blob_review WHERE digest = ?";
    /** Links their own repository has no manifest for; what another repository references does not keep them. */
    private static final String UNLINK_UNREFERENCED = "DELETE FROM repository_blob WHERE digest = ? AND NOT EXISTS"
            + " (SELECT 1 FROM manifest_ref mr WHERE mr.repository_id = repository_blob.repository_id"
            + " AND mr.child_digest = repository_blob.digest AND mr.kind = 'blob')";
    private static final String REFERENCED = "SELECT 1 FROM manifest_ref WHERE child_digest = ? AND kind = 'blob' LIMIT 1";
    private static final String SIZE = "SELECT size FROM blob WHERE digest = ?";
    private static final String LINKS = "SELECT repository_id FROM repository_blob WHERE digest = ?";
    private static final String DELETE_BLOB = "DELETE FROM blob WHERE digest = ?";
    private static final String DELETE_REVIEW = "DELETE FROM gc_blob_review WHERE digest = ?";
    private static final String COLLECTABLE = "SELECT b.digest, b.size FROM gc_blob_review g JOIN blob b ON b.digest = g.digest"
            + " WHERE g.review_after <= ? AND g.digest > ? AND NOT EXISTS (SELECT 1 FROM manifest_ref mr"
            + " WHERE mr.child_digest = g.digest AND mr.kind = 'blob') ORDER BY g.digest LIMIT ?";
    private static final String LINKED = "SELECT b.size, g.review_after FROM repository_blob rb JOIN blob b ON b.digest = rb.digest"
            + " LEFT JOIN gc_blob_review g ON g.digest = rb.digest WHERE rb.repository_id = ? AND rb.digest = ?";
    private static final String DUE_SOON = "SELECT 1 FROM gc_blob_review WHERE digest = ? AND review_after < ?";
    private static final String POSTPONE = "UPDATE gc_blob_review SET review_after = NULL WHERE digest = ? AND review_after < ?";
    private static final String COUNTS = "SELECT SUM(CASE WHEN review_after IS NULL THEN 1 ELSE 0 END) AS unscheduled,"
            + " SUM(CASE WHEN review_after > ? THEN 1 ELSE 0 END) AS pending,"
            + " SUM(CASE WHEN review_after <= ? THEN 1 ELSE 0 END) AS due FROM gc_blob_review";
    private static final String RECORDED_AMONG = "SELECT digest FROM blob WHERE digest IN (%s)";

    private final Jdbc jdbc;
    private final String reviewAfterLocked;
    private final String lockLinks;

    JdbcGarbage(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.reviewAfterLocked = REVIEW_AFTER + jdbc.lockRows(SqlDialect.RowLock.UPDATE);
        this.lockLinks = LINKS + jdbc.lockRows(SqlDialect.RowLock.UPDATE);
    }

    @Override
    public int scheduleReviews(Supplier<Instant> reviewAfter) {
        return jdbc.writeUncached("schedule reviews", c -> Jdbc.update(c, SCHEDULE, reviewAfter.get()));
    }

    @Override
    public List<Digest> dueReviews(Instant now, Digest after, int limit) {
        return jdbc.read("due reviews", c -> Jdbc.query(c, DUE, rs -> Digest.parse(rs.getString("digest")),
                now, after == null ? "" : after.toString(), limit));
    }

    @Override
    public Collected collect(Collection<Digest> digests, Instant now) {
        return jdbc.writeUncached("collect garbage", c -> {
            List<StoredBlob> deleted = new ArrayList<>();
            int unlinked = 0;
            int kept = 0;
            for (Digest d : digests) {
                if (!isDue(c, d, now)) {
                    continue;
                }
                Jdbc.query(c, lockLinks, rs -> null, d); // waits for pushes that found them: see JdbcBlobs.missingBlobs
                unlinked += Jdbc.update(c, UNLINK_UNREFERENCED, d); // a statement of its own: sees what they committed
                if (Jdbc.queryOne(c, REFERENCED, rs -> true, d).isPresent()) {
                    kept++;
                } else {
                    deleteRow(c, d).ifPresent(deleted::add);
                }
                Jdbc.update(c, DELETE_REVIEW, d); // after the unlinks, whose trigger queued it again
            }
            return new Collected(deleted, unlinked, kept);
        });
    }

    /** Locks the review's row: an upload or mount of the blob (which postpones it) waits, or is waited for. */
    private boolean isDue(Connection c, Digest d, Instant now) throws SQLException {
        Optional<Long> at = Jdbc.queryOne(c, reviewAfterLocked, rs -> {
            long v = rs.getLong("review_after");
            return rs.wasNull() ? Long.MAX_VALUE : v; // not yet scheduled: not due
        }, d);
        return at.isPresent() && at.get() <= now.toEpochMilli();
    }

    private static Optional<StoredBlob> deleteRow(Connection c, Digest d) throws SQLException {
        Optional<Long> size = Jdbc.queryOne(c, SIZE, rs -> rs.getLong("size"), d);
        if (size.isPresent()) {
            Jdbc.update(c, DELETE_BLOB, d);
        }
        return size.map(s -> new StoredBlob(d, s));
    }

    @Override
    public List<StoredBlob> collectable(Instant now, Digest after, int limit) {
        return jdbc.read("collectable blobs", c -> Jdbc.query(c, COLLECTABLE,
                rs -> new StoredBlob(Digest.parse(rs.getString("digest")), rs.getLong("size")),
                now, after == null ? "" : after.toString(), limit));
    }

    @Override
    public Optional<LinkedBlob> linkedBlob(long repositoryId, Digest digest) {
        return jdbc.read("linked blob", c -> Jdbc.queryOne(c, LINKED, rs -> {
            long size = rs.getLong("size");
            long reviewAfter = rs.getLong("review_after");
            return new LinkedBlob(size, rs.wasNull() ? null : Instant.ofEpochMilli(reviewAfter));
        }, repositoryId, digest));
    }

    /** A read first: the write (and its commit) happens only for a blob whose review is near. */
    @Override
    public boolean postponeReview(Digest digest, Instant dueBefore) {
        if (jdbc.read("review due", c -> Jdbc.queryOne(c, DUE_SOON, rs -> true, digest, dueBefore)).isEmpty()) {
            return false;
        }
        return jdbc.writeUncached("postpone review", c -> Jdbc.update(c, POSTPONE, digest, dueBefore) > 0);
    }

    @Override
    public ReviewCounts reviewCounts(Instant now) {
        return jdbc.read("review counts", c -> Jdbc.queryOne(c, COUNTS,
                rs -> new ReviewCounts(rs.getLong("unscheduled"), rs.getLong("pending"), rs.getLong("due")), now, now)
                .orElseThrow());
    }

    @Override
    public Set<Digest> unrecordedBlobs(Collection<Digest> digests) {
        return jdbc.read("unrecorded blobs", c -> JdbcBlobs.missing(c, RECORDED_AMONG, List.of(), digests));
    }
}
