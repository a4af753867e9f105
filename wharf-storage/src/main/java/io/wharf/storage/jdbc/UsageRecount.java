package io.wharf.storage.jdbc;

import io.wharf.core.spi.RepositoryUsage;
import io.wharf.core.spi.UsageDrift;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The usage counters recomputed from the tables (aggregate queries over them all), compared with the kept ones and
 * optionally written back: what {@code wharf usage --recount} runs, and what the tests hold the triggers to.
 */
final class UsageRecount {

    private static final String REPOSITORIES = """
            WITH m AS (SELECT repository_id, COUNT(*) AS images, SUM(size) AS bytes FROM manifest GROUP BY repository_id),
            t AS (SELECT repository_id, COUNT(*) AS tags FROM tag GROUP BY repository_id),
            l AS (SELECT rb.repository_id, COUNT(*) AS blobs, SUM(b.size) AS bytes,
                         SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM repository_blob o WHERE o.digest = rb.digest
                             AND o.repository_id <> rb.repository_id) THEN b.size ELSE 0 END) AS exclusive
                  FROM repository_blob rb JOIN blob b ON b.digest = rb.digest GROUP BY rb.repository_id)
            SELECT p.id, p.name, COALESCE(m.images, 0) AS images, COALESCE(t.tags, 0) AS tags,
                   COALESCE(m.bytes, 0) AS manifest_bytes, COALESCE(l.blobs, 0) AS blobs,
                   COALESCE(l.bytes, 0) AS blob_bytes, COALESCE(l.exclusive, 0) AS exclusive_bytes
            FROM repository p LEFT JOIN m ON m.repository_id = p.id LEFT JOIN t ON t.repository_id = p.id
                 LEFT JOIN l ON l.repository_id = p.id ORDER BY p.name""";
    private static final String KEPT = "SELECT r.id, r.name, u.images, u.tags, u.manifest_bytes, u.blobs, u.blob_bytes,"
            + " u.exclusive_bytes FROM repository r JOIN repository_usage u ON u.repository_id = r.id";
    private static final String TOTAL = """
            SELECT COUNT(*) AS blobs, COALESCE(SUM(size), 0) AS blob_bytes,
                   COALESCE(SUM(CASE WHEN l.digest IS NULL THEN 1 ELSE 0 END), 0) AS unlinked_blobs,
                   COALESCE(SUM(CASE WHEN l.digest IS NULL THEN size ELSE 0 END), 0) AS unlinked_bytes
            FROM blob b LEFT JOIN (SELECT DISTINCT digest FROM repository_blob) l ON l.digest = b.digest""";
    private static final String KEPT_TOTAL = "SELECT SUM(blobs) AS blobs, SUM(blob_bytes) AS blob_bytes,"
            + " SUM(unlinked_blobs) AS unlinked_blobs, SUM(unlinked_bytes) AS unlinked_bytes FROM registry_usage";
    private static final String SET_REPOSITORY = "UPDATE repository_usage SET images = ?, tags = ?, manifest_bytes = ?,"
            + " blobs = ?, blob_bytes = ?, exclusive_bytes = ? WHERE repository_id = ?";
    private static final String ADD_MISSING = "INSERT INTO repository_usage (repository_id) SELECT id FROM repository r"
            + " WHERE NOT EXISTS (SELECT 1 FROM repository_usage u WHERE u.repository_id = r.id)";
    /** {@code %s}: the dialect's shard of {@code b.digest}, as the triggers compute it. */
    private static final String SET_SHARDS = """
            UPDATE registry_usage SET
                blobs = (SELECT COUNT(*) FROM blob b WHERE %1$s = shard),
                blob_bytes = (SELECT COALESCE(SUM(size), 0) FROM blob b WHERE %1$s = shard),
                unlinked_blobs = (SELECT COUNT(*) FROM blob b WHERE %1$s = shard
                    AND NOT EXISTS (SELECT 1 FROM repository_blob rb WHERE rb.digest = b.digest)),
                unlinked_bytes = (SELECT COALESCE(SUM(size), 0) FROM blob b WHERE %1$s = shard
                    AND NOT EXISTS (SELECT 1 FROM repository_blob rb WHERE rb.digest = b.digest))""";
    private static final List<Map.Entry<String, ToLongFunction<RepositoryUsage>>> COUNTERS = List.of(
            Map.entry("images", RepositoryUsage::images), Map.entry("tags", RepositoryUsage::tags),
            Map.entry("manifestBytes", RepositoryUsage::manifestBytes), Map.entry("blobs", RepositoryUsage::blobs),
            Map.entry("blobBytes", RepositoryUsage::blobBytes), Map.entry("exclusiveBytes", RepositoryUsage::exclusiveBytes));

    private final String setShards;

    UsageRecount(boolean postgres) {
        this.setShards = SET_SHARDS.formatted(postgres ? "usage_shard(b.digest)" : "unicode(substr(b.digest, -1)) % 16");
    }

    List<UsageDrift> run(Connection c, boolean repair) throws SQLException {
        if (repair) {
            Jdbc.update(c, ADD_MISSING);
        }
        Map<Long, RepositoryUsage> kept = Jdbc.query(c, KEPT, JdbcUsage::repository).stream()
                .collect(Collectors.toMap(RepositoryUsage::repositoryId, Function.identity()));
        List<UsageDrift> drifts = new ArrayList<>();
        for (RepositoryUsage actual : Jdbc.query(c, REPOSITORIES, JdbcUsage::repository)) {
            RepositoryUsage had = kept.get(actual.repositoryId());
            int before = drifts.size();
            for (var counter : COUNTERS) {
                long k = had == null ? 0 : counter.getValue().applyAsLong(had);
                long a = counter.getValue().applyAsLong(actual);
                if (k != a) {
                    drifts.add(new UsageDrift(actual.name().value(), counter.getKey(), k, a));
                }
            }
            if (repair && drifts.size() > before) {
                Jdbc.update(c, SET_REPOSITORY, actual.images(), actual.tags(), actual.manifestBytes(), actual.blobs(),
                        actual.blobBytes(), actual.exclusiveBytes(), actual.repositoryId());
            }
        }
        totals(c, drifts, repair);
        return drifts;
    }

    private void totals(Connection c, List<UsageDrift> drifts, boolean repair) throws SQLException {
        long[] actual = Jdbc.queryOne(c, TOTAL, UsageRecount::four).orElseThrow();
        long[] kept = Jdbc.queryOne(c, KEPT_TOTAL, UsageRecount::four).orElseThrow();
        String[] names = {"blobs", "blobBytes", "unlinkedBlobs", "unlinkedBytes"};
        boolean drifted = false;
        for (int i = 0; i < names.length; i++) {
            if (actual[i] != kept[i]) {
                drifts.add(new UsageDrift("registry", names[i], kept[i], actual[i]));
                drifted = true;
            }
        }
        if (repair && drifted) {
            Jdbc.update(c, setShards);
        }
    }

    private static long[] four(java.sql.ResultSet rs) throws SQLException {
        return new long[] {rs.getLong("blobs"), rs.getLong("blob_bytes"), rs.getLong("unlinked_blobs"),
                rs.getLong("unlinked_bytes")};
    }
}
