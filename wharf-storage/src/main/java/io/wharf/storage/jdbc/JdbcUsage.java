package io.wharf.storage.jdbc;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.AccountRepositoryUsage;
import io.wharf.core.spi.AccountUsage;
import io.wharf.core.spi.DailyPulls;
import io.wharf.core.spi.PullTally;
import io.wharf.core.spi.QuotaKind;
import io.wharf.core.spi.RegistryUsage;
import io.wharf.core.spi.RepositoryUsage;
import io.wharf.core.spi.UsageDrift;
import io.wharf.core.spi.UsageIndex;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * {@link UsageIndex} from the counter rows the V22 triggers keep ({@code repository_usage}, the 16
 * {@code registry_usage} shards, {@code repository_pulls}): each answer reads rows by primary key or a range of
 * them, never the tables the counters summarize. {@link #recountUsage} is the one full scan.
 */
final class JdbcUsage implements UsageIndex {

    private static final String COLUMNS = "r.id, r.name, u.images, u.tags, u.manifest_bytes, u.blobs, u.blob_bytes,"
            + " u.exclusive_bytes FROM repository r JOIN repository_usage u ON u.repository_id = r.id";
    private static final String ONE = "SELECT " + COLUMNS + " WHERE r.id = ?";
    private static final String PAGE = "SELECT " + COLUMNS + " WHERE r.account = ? AND r.name > ? ORDER BY r.name LIMIT ?";
    private static final String LARGEST = "SELECT r.account, " + COLUMNS
            + " ORDER BY u.manifest_bytes + u.blob_bytes DESC, r.name LIMIT ?";
    private static final String ACCOUNT = "SELECT COUNT(*) AS repositories, COALESCE(SUM(u.images), 0) AS images,"
            + " COALESCE(SUM(u.tags), 0) AS tags, COALESCE(SUM(u.manifest_bytes), 0) AS manifest_bytes,"
            + " COALESCE(SUM(u.blob_bytes), 0) AS blob_bytes, COALESCE(SUM(u.exclusive_bytes), 0) AS exclusive_bytes"
            + " FROM repository r JOIN repository_usage u ON u.repository_id = r.id WHERE r.account = ?";
    private static final String TOTAL = """
            SELECT repositories, images, manifest_bytes, blobs, blob_bytes, unlinked_blobs, unlinked_bytes
            FROM (SELECT COUNT(*) AS repositories, COALESCE(SUM(images), 0) AS images,
                         COALESCE(SUM(manifest_bytes), 0) AS manifest_bytes FROM repository_usage) r,
                 (SELECT SUM(blobs) AS blobs, SUM(blob_bytes) AS blob_bytes, SUM(unlinked_blobs) AS unlinked_blobs,
                         SUM(unlinked_bytes) AS unlinked_bytes FROM registry_usage) s""";
    private static final String ADD_PULLS = "INSERT INTO repository_pulls (repository_id, day, pulls, bytes)"
            + " SELECT id, ?, ?, ? FROM repository WHERE account = ? AND name = ?"
            + " ON CONFLICT (repository_id, day) DO UPDATE SET pulls = repository_pulls.pulls + excluded.pulls,"
            + " bytes = repository_pulls.bytes + excluded.bytes";
    private static final String PULLS = "SELECT day, pulls, bytes FROM repository_pulls"
            + " WHERE repository_id = ? AND day >= ? ORDER BY day";
    private static final String ACCOUNT_PULLS = "SELECT p.day, SUM(p.pulls) AS pulls, SUM(p.bytes) AS bytes"
            + " FROM repository_pulls p JOIN repository r ON r.id = p.repository_id"
            + " WHERE r.account = ? AND p.day >= ? GROUP BY p.day ORDER BY p.day";
    private static final String MARK = "UPDATE repository_usage SET %1$s = ? WHERE repository_id = ? AND %1$s <> ?";

    private final Jdbc jdbc;
    private final UsageRecount recount;

    JdbcUsage(Jdbc jdbc, boolean postgres) {
        this.jdbc = jdbc;
        this.recount = new UsageRecount(postgres);
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
    public List<AccountRepositoryUsage> largestRepositories(int limit) {
        return jdbc.read("largest repositories", c -> Jdbc.query(c, LARGEST,
                rs -> new AccountRepositoryUsage(rs.getString("account"), repository(rs)), Math.max(limit, 0)));
    }

    @Override
    public RegistryUsage registryUsage() {
        return jdbc.read("registry usage", c -> Jdbc.queryOne(c, TOTAL, rs -> new RegistryUsage(
                rs.getLong("repositories"), rs.getLong("images"), rs.getLong("manifest_bytes"), rs.getLong("blobs"),
                rs.getLong("blob_bytes"), rs.getLong("unlinked_blobs"), rs.getLong("unlinked_bytes"))).orElseThrow());
    }

    @Override
    public AccountUsage accountUsage(String account) {
        return jdbc.read("account usage", c -> Jdbc.queryOne(c, ACCOUNT, rs -> new AccountUsage(account,
                rs.getLong("repositories"), rs.getLong("images"), rs.getLong("tags"), rs.getLong("manifest_bytes"),
                rs.getLong("blob_bytes"), rs.getLong("exclusive_bytes")), account).orElseThrow());
    }

    @Override
    public void addPulls(Collection<PullTally> tallies) {
        if (tallies.isEmpty()) {
            return;
        }
        List<Object[]> rows = tallies.stream().map(t -> new Object[] {t.day().toEpochDay(), t.pulls(), t.bytes(),
                t.account(), t.repository().value()}).toList();
        jdbc.writeUncached("add pulls", c -> {
            Jdbc.batch(c, ADD_PULLS, rows);
            return null;
        });
    }

    @Override
    public List<DailyPulls> pulls(long repositoryId, LocalDate from) {
        return jdbc.read("pulls", c -> Jdbc.query(c, PULLS, JdbcUsage::daily, repositoryId, from.toEpochDay()));
    }

    @Override
    public List<DailyPulls> accountPulls(String account, LocalDate from) {
        return jdbc.read("account pulls", c -> Jdbc.query(c, ACCOUNT_PULLS, JdbcUsage::daily, account, from.toEpochDay()));
    }

    @Override
    public boolean markQuota(long repositoryId, QuotaKind kind, boolean over) {
        String column = kind == QuotaKind.IMAGES ? "images_warned" : "bytes_warned";
        int flag = over ? 1 : 0;
        return jdbc.writeUncached("mark a quota warning", c ->
                Jdbc.update(c, MARK.formatted(column), flag, repositoryId, flag) == 1);
    }

    @Override
    public List<UsageDrift> recountUsage(boolean repair) {
        return repair ? jdbc.write("repair usage counters", c -> recount.run(c, true))
                : jdbc.read("recount usage", c -> recount.run(c, false));
    }

    static RepositoryUsage repository(ResultSet rs) throws SQLException {
        return new RepositoryUsage(rs.getLong("id"), new RepositoryName(rs.getString("name")), rs.getLong("images"),
                rs.getLong("tags"), rs.getLong("manifest_bytes"), rs.getLong("blobs"), rs.getLong("blob_bytes"),
                rs.getLong("exclusive_bytes"));
    }

    private static DailyPulls daily(ResultSet rs) throws SQLException {
        return new DailyPulls(LocalDate.ofEpochDay(rs.getLong("day")), rs.getLong("pulls"), rs.getLong("bytes"));
    }
}
