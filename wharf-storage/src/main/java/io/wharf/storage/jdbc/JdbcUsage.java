package io.wharf.storage.jdbc;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.RegistryUsage;
import io.wharf.core.spi.RepositoryUsage;
import io.wharf.core.spi.UsageIndex;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@link UsageIndex} by aggregate queries, one statement per answer so that it is one snapshot. Each per-repository
 * aggregate reads only that repository's range of a primary key ({@code manifest}, {@code tag},
 * {@code repository_blob}: all lead with {@code repository_id}) plus one {@code blob} primary-key lookup and one
 * {@code repository_blob_by_digest} probe per linked blob; nothing is maintained beside the tables.
 */
final class JdbcUsage implements UsageIndex {

    /** {@code %s}: the filter choosing the repositories (their page). */
    private static final String PER_REPOSITORY = """
            WITH page AS (SELECT id, name FROM repository WHERE %s),
            m AS (SELECT repository_id, COUNT(*) AS images, SUM(size) AS bytes FROM manifest
                  WHERE repository_id IN (SELECT id FROM page) GROUP BY repository_id),
            t AS (SELECT repository_id, COUNT(*) AS tags FROM tag
                  WHERE repository_id IN (SELECT id FROM page) GROUP BY repository_id),
            l AS (SELECT rb.repository_id, COUNT(*) AS blobs, SUM(b.size) AS bytes,
                         SUM(CASE WHEN %s THEN b.size ELSE 0 END) AS exclusive
                  FROM repository_blob rb JOIN blob b ON b.digest = rb.digest
                  WHERE rb.repository_id IN (SELECT id FROM page) GROUP BY rb.repository_id)
            SELECT p.id, p.name, COALESCE(m.images, 0) AS images, COALESCE(t.tags, 0) AS tags,
                   COALESCE(m.bytes, 0) AS manifest_bytes, COALESCE(l.blobs, 0) AS blobs,
                   COALESCE(l.bytes, 0) AS blob_bytes, COALESCE(l.exclusive, 0) AS exclusive_bytes
            FROM page p LEFT JOIN m ON m.repository_id = p.id LEFT JOIN t ON t.repository_id = p.id
                 LEFT JOIN l ON l.repository_id = p.id
            ORDER BY p.name""";
    /**
     * The blob has exactly one link (which is this repository's: a link is unique per repository and digest).
     * Counting at most two entries of {@code repository_blob_by_digest} reads the index alone, and stays short
     * for a base layer that a thousand repositories link.
     */
    private static final String ONLY_LINK = "(SELECT COUNT(*) FROM (SELECT 1 FROM repository_blob o"
            + " WHERE o.digest = rb.digest LIMIT 2) links) = 1";
    private static final String ONE = PER_REPOSITORY.formatted("id = ?", ONLY_LINK);
    private static final String PAGE = PER_REPOSITORY.formatted("account = ? AND name > ? ORDER BY name LIMIT ?", ONLY_LINK);
    /** One-row aggregates side by side: each table is read once, the unlinked blobs in one pass with its probe. */
    private static final String TOTAL = """
            SELECT repositories, images, manifest_bytes, blobs, blob_bytes, unlinked_blobs, unlinked_bytes
            FROM (SELECT COUNT(*) AS repositories FROM repository) r,
                (SELECT COUNT(*) AS images, COALESCE(SUM(size), 0) AS manifest_bytes FROM manifest) m,
                (SELECT COUNT(*) AS blobs, COALESCE(SUM(size), 0) AS blob_bytes FROM blob) s,
                (SELECT COUNT(*) AS unlinked_blobs, COALESCE(SUM(size), 0) AS unlinked_bytes FROM blob b
                 WHERE NOT EXISTS (SELECT 1 FROM repository_blob rb WHERE rb.digest = b.digest)) u""";

    private final Jdbc jdbc;

    JdbcUsage(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<RepositoryUsage> repositoryUsage(long repositoryId) {
        return jdbc.read("repository usage", c -> Jdbc.queryOne(c, ONE, JdbcUsage::repository, repositoryId));
    }

    @Override
    public List<RepositoryUsage> repositoryUsages(String account, RepositoryName after, int limit) {
        String from = after == null ? "" : after.value();
        return jdbc.read("repository usages", c ->
                Jdbc.query(c, PAGE, JdbcUsage::repository, account, from, Math.max(limit, 0)));
    }

    @Override
    public RegistryUsage registryUsage() {
        return jdbc.read("registry usage", c -> Jdbc.queryOne(c, TOTAL, rs -> new RegistryUsage(
                rs.getLong("repositories"), rs.getLong("images"), rs.getLong("manifest_bytes"), rs.getLong("blobs"),
                rs.getLong("blob_bytes"), rs.getLong("unlinked_blobs"), rs.getLong("unlinked_bytes"))).orElseThrow());
    }

    private static RepositoryUsage repository(ResultSet rs) throws SQLException {
        return new RepositoryUsage(rs.getLong("id"), new RepositoryName(rs.getString("name")), rs.getLong("images"),
                rs.getLong("tags"), rs.getLong("manifest_bytes"), rs.getLong("blobs"), rs.getLong("blob_bytes"),
                rs.getLong("exclusive_bytes"));
    }
}
