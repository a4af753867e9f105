package io.wharf.storage.jdbc;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.ReplicationIndex;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ReplicationIndex} over the {@code replication_*} tables (V17). Every change of a task's ownership is one
 * conditional UPDATE on its status, owner and lease, so it is atomic across processes; tasks go with their
 * manifest by the foreign key's cascade. No read cache holds these tables.
 */
final class JdbcReplication implements ReplicationIndex {
    private static final String COLUMNS = "t.repository_id, r.account, r.name, t.digest, t.region, t.registry_id, t.status,"
            + " t.failure, t.attempts, t.due_at, t.owner, t.lease_expires_at, t.backfill, t.updated_at";
    private static final String FROM = " FROM replication_task t JOIN repository r ON r.id = t.repository_id";
    private static final String KEY = " WHERE repository_id = ? AND digest = ? AND region = ? AND registry_id = ?";
    private static final String FIND = "SELECT " + COLUMNS + FROM
            + " WHERE t.repository_id = ? AND t.digest = ? AND t.region = ? AND t.registry_id = ?";
    private static final String CLAIMABLE_WHERE = " status = 'IN_PROGRESS' AND ((owner IS NULL AND due_at <= ?)"
            + " OR (owner IS NOT NULL AND lease_expires_at < ?))";
    private static final String CLAIMABLE = "SELECT " + COLUMNS + FROM + " WHERE t.status = 'IN_PROGRESS'"
            + " AND ((t.owner IS NULL AND t.due_at <= ?) OR (t.owner IS NOT NULL AND t.lease_expires_at < ?))"
            + " ORDER BY t.due_at LIMIT ?";
    private static final String CLAIM = "UPDATE replication_task SET owner = ?, lease_expires_at = ?, attempts = attempts + 1,"
            + " updated_at = ?" + KEY + " AND" + CLAIMABLE_WHERE;
    private static final String HELD = KEY + " AND status = 'IN_PROGRESS' AND owner = ?";
    private static final String FINISH = "UPDATE replication_task SET status = ?, failure = ?, owner = NULL,"
            + " lease_expires_at = NULL, updated_at = ?" + HELD;
    private static final String RETRY = "UPDATE replication_task SET failure = ?, due_at = ?, owner = NULL,"
            + " lease_expires_at = NULL, updated_at = ?" + HELD;
    private static final String TASKS = "SELECT " + COLUMNS + FROM + " WHERE t.repository_id = ? AND t.digest = ?"
            + " ORDER BY t.region, t.registry_id";
    private static final String MANIFEST = "SELECT 1 FROM manifest WHERE repository_id = ? AND digest = ?";
    private static final String EXISTING = "SELECT status, owner FROM replication_task" + KEY;
    private static final String INSERT = "INSERT INTO replication_task (repository_id, digest, region, registry_id, status,"
            + " attempts, due_at, backfill, updated_at) VALUES (?, ?, ?, ?, 'IN_PROGRESS', 0, ?, ?, ?)";
    private static final String RESET = "UPDATE replication_task SET status = 'IN_PROGRESS', failure = NULL, attempts = 0,"
            + " due_at = ?, owner = NULL, lease_expires_at = NULL, backfill = CASE WHEN ? > 0 THEN ? ELSE backfill END,"
            + " updated_at = ?" + KEY;
    private static final String BACKFILL_COLUMNS = "id, account, state, created_at, finished_at, after_name, images, queued";
    private static final String ADVANCE = "UPDATE replication_backfill SET after_name = ?, images = images + ?,"
            + " queued = queued + ?, state = ?, finished_at = ? WHERE id = ? AND state = 'RUNNING' AND ";

    private final Jdbc jdbc;
    private final SqlDialect dialect;
    private final String configurationUpsert;
    private final String manifestLocked;
    private final String originInsert;

    JdbcReplication(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.configurationUpsert = dialect.upsert("replication_configuration", List.of("account", "document", "updated_at"),
                List.of("account"), List.of("document", "updated_at"));
        this.manifestLocked = MANIFEST + jdbc.lockRows(SqlDialect.RowLock.NO_KEY_UPDATE);
        this.originInsert = dialect.insertIgnore("replication_origin", List.of("repository_id", "digest", "source", "recorded_at"),
                List.of("repository_id", "digest"));
    }

    @Override
    public void markReplicatedIn(long repositoryId, Digest digest, String source, Instant now) {
        jdbc.writeUncached("mark a replicated image", c -> Jdbc.update(c, originInsert, repositoryId, digest, source, now));
    }

    @Override
    public java.util.Set<Digest> replicatedIn(long repositoryId) {
        return jdbc.read("replicated images", c -> java.util.Set.copyOf(Jdbc.query(c,
                "SELECT digest FROM replication_origin WHERE repository_id = ?", rs -> Digest.parse(rs.getString(1)), repositoryId)));
    }

    @Override
    public Optional<String> configuration(String account) {
        return jdbc.read("read replication configuration", c -> Jdbc.queryOne(c,
                "SELECT document FROM replication_configuration WHERE account = ?", rs -> rs.getString(1), account));
    }

    @Override
    public void putConfiguration(String account, String json, Instant now) {
        jdbc.writeUncached("store replication configuration", c -> Jdbc.update(c, configurationUpsert, account, json, now));
    }

    @Override
    public int request(long repositoryId, Digest digest, List<Target> targets, long backfill, Instant now) {
        return jdbc.writeUncached("request replication", c -> {
            if (Jdbc.queryOne(c, manifestLocked, rs -> 1, repositoryId, digest).isEmpty()) {
                return 0;
            }
            int queued = 0;
            for (Target t : targets) {
                queued += requestOne(c, repositoryId, digest, t, backfill, now);
            }
            return queued;
        });
    }

    private static int requestOne(Connection c, long repositoryId, Digest digest, Target t, long backfill, Instant now)
            throws SQLException {
        Optional<String[]> old = Jdbc.queryOne(c, EXISTING, rs -> new String[] {rs.getString(1), rs.getString(2)},
                repositoryId, digest, t.region(), t.registryId());
        if (old.isEmpty()) {
            return Jdbc.update(c, INSERT, repositoryId, digest, t.region(), t.registryId(), now, backfill, now);
        }
        String status = old.get()[0];
        boolean waiting = status.equals(Status.IN_PROGRESS.name()) && old.get()[1] == null;
        if (waiting || backfill > 0 && !status.equals(Status.FAILED.name())) {
            return 0;
        }
        // a push re-queueing a task keeps the backfill that queued it, whose progress goes on counting it
        return Jdbc.update(c, RESET, now, backfill, backfill, now, repositoryId, digest, t.region(), t.registryId());
    }

    @Override
    public List<Task> claimable(Instant now, int limit) {
        return jdbc.read("claimable replications", c -> Jdbc.query(c, CLAIMABLE, JdbcReplication::task, now, now, limit));
    }

    @Override
    public Optional<Task> claim(long repositoryId, Digest digest, Target target, String owner, Instant now, Instant leaseExpiresAt) {
        return jdbc.writeUncached("claim replication", c -> {
            if (Jdbc.update(c, CLAIM, owner, leaseExpiresAt, now, repositoryId, digest, target.region(), target.registryId(),
                    now, now) == 0) {
                return Optional.empty();
            }
            return Jdbc.queryOne(c, FIND, JdbcReplication::task, repositoryId, digest, target.region(), target.registryId());
        });
    }

    @Override
    public boolean finish(long repositoryId, Digest digest, Target target, String owner, Status status, String failure, Instant now) {
        return jdbc.writeUncached("finish replication", c -> Jdbc.update(c, FINISH, status.name(), failure, now,
                repositoryId, digest, target.region(), target.registryId(), owner)) == 1;
    }

    @Override
    public boolean retryAt(long repositoryId, Digest digest, Target target, String owner, String failure, Instant dueAt, Instant now) {
        return jdbc.writeUncached("retry replication", c -> Jdbc.update(c, RETRY, failure, dueAt, now,
                repositoryId, digest, target.region(), target.registryId(), owner)) == 1;
    }

    @Override
    public List<Task> tasks(long repositoryId, Digest digest) {
        return jdbc.read("replication tasks", c -> Jdbc.query(c, TASKS, JdbcReplication::task, repositoryId, digest));
    }

    @Override
    public long createBackfill(String account, Instant now) {
        return jdbc.writeUncached("create backfill", c -> {
            dialect.lock(c, "replication_backfill");
            long id = Jdbc.queryOne(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM replication_backfill", rs -> rs.getLong(1))
                    .orElse(1L);
            Jdbc.update(c, "INSERT INTO replication_backfill (id, account, state, created_at, images, queued)"
                    + " VALUES (?, ?, 'RUNNING', ?, 0, 0)", id, account, now);
            return id;
        });
    }

    @Override
    public Optional<Backfill> backfill(long id) {
        return jdbc.read("read backfill", c -> Jdbc.queryOne(c, "SELECT " + BACKFILL_COLUMNS
                + " FROM replication_backfill WHERE id = ?", JdbcReplication::backfill, id));
    }

    @Override
    public List<Backfill> backfills(String account, int limit) {
        return jdbc.read("list backfills", c -> Jdbc.query(c, "SELECT " + BACKFILL_COLUMNS
                + " FROM replication_backfill WHERE account = ? ORDER BY id DESC LIMIT ?", JdbcReplication::backfill, account, limit));
    }

    @Override
    public List<Backfill> runningBackfills(int limit) {
        return jdbc.read("running backfills", c -> Jdbc.query(c, "SELECT " + BACKFILL_COLUMNS
                + " FROM replication_backfill WHERE state = 'RUNNING' ORDER BY id LIMIT ?", JdbcReplication::backfill, limit));
    }

    @Override
    public boolean advanceBackfill(long id, RepositoryName expectedAfter, RepositoryName after, long images, long queued,
                                   boolean done, Instant now) {
        String sql = ADVANCE + (expectedAfter == null ? "after_name IS NULL" : "after_name = ?");
        Object[] args = expectedAfter == null
                ? new Object[] {after, images, queued, done ? Backfill.DONE : Backfill.RUNNING, done ? now : null, id}
                : new Object[] {after, images, queued, done ? Backfill.DONE : Backfill.RUNNING, done ? now : null, id, expectedAfter};
        return jdbc.writeUncached("advance backfill", c -> Jdbc.update(c, sql, args)) == 1;
    }

    @Override
    public Map<Status, Long> backfillProgress(long id) {
        return jdbc.read("backfill progress", c -> {
            Map<Status, Long> out = new EnumMap<>(Status.class);
            for (Object[] row : Jdbc.query(c, "SELECT status, COUNT(*) FROM replication_task WHERE backfill = ? GROUP BY status",
                    rs -> new Object[] {rs.getString(1), rs.getLong(2)}, id)) {
                out.put(Status.valueOf((String) row[0]), (Long) row[1]);
            }
            return out;
        });
    }

    private static Task task(ResultSet rs) throws SQLException {
        return new Task(rs.getLong("repository_id"), rs.getString("account"), new RepositoryName(rs.getString("name")),
                Digest.parse(rs.getString("digest")), new Target(rs.getString("region"), rs.getString("registry_id")),
                Status.valueOf(rs.getString("status")), rs.getString("failure"), rs.getInt("attempts"),
                Jdbc.instant(rs, "due_at"), rs.getString("owner"), instantOrNull(rs, "lease_expires_at"),
                rs.getLong("backfill"), Jdbc.instant(rs, "updated_at"));
    }

    private static Backfill backfill(ResultSet rs) throws SQLException {
        String after = rs.getString("after_name");
        return new Backfill(rs.getLong("id"), rs.getString("account"), rs.getString("state"), Jdbc.instant(rs, "created_at"),
                instantOrNull(rs, "finished_at"), after == null ? null : new RepositoryName(after), rs.getLong("images"),
                rs.getLong("queued"));
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
