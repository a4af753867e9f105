package io.wharf.storage.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.spi.JobLease;
import io.wharf.core.spi.JobLeases;
import io.wharf.core.spi.JobRecord;
import io.wharf.core.spi.JobRecord.Outcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link JobLeases} over the {@code job} table. Each ownership change is one conditional UPDATE whose WHERE
 * clause is the compare-and-set (the row is free, or still holds the caller's lease), so it is atomic on any
 * database, across processes too; a PostgreSQL dialect may add {@code FOR UPDATE SKIP LOCKED} to a batch pick.
 * No read cache holds the table: its writes (a poll's acquire attempts, renewals) leave the cache warm, on this
 * node and, unannounced, on every other.
 */
final class JdbcJobs implements JobLeases {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Long>> COUNTERS = new TypeReference<>() { };

    private static final String COLUMNS = "name, interval_ms, owner, lease_expires_at, last_started_at, last_ended_at,"
            + " last_outcome, last_message, counters, next_due_at, run_requested_at";
    private static final String REREGISTER = "UPDATE job SET interval_ms = ?,"
            + " next_due_at = CASE WHEN next_due_at IS NULL OR next_due_at > ? THEN ? ELSE next_due_at END WHERE name = ?";
    private static final String ACQUIRE = "UPDATE job SET owner = ?, lease_expires_at = ?, last_started_at = ?,"
            + " counters = '{}', run_requested_at = NULL"
            // free and due, or held under an expired lease (its runner died mid-run: taken over, due or not)
            + " WHERE name = ? AND ((owner IS NULL AND (run_requested_at IS NOT NULL OR next_due_at <= ?))"
            + " OR (owner IS NOT NULL AND lease_expires_at < ?))";
    private static final String HELD = " WHERE name = ? AND owner = ? AND lease_expires_at = ?";
    private static final String RENEW = "UPDATE job SET lease_expires_at = ?, counters = ?" + HELD;
    private static final String FINISH = "UPDATE job SET owner = NULL, lease_expires_at = NULL, last_ended_at = ?,"
            + " last_outcome = ?, last_message = ?, counters = ?, next_due_at = COALESCE(?, next_due_at)" + HELD;
    private static final String REQUEST = "UPDATE job SET run_requested_at = ? WHERE name = ?";
    private static final String FIND = "SELECT " + COLUMNS + " FROM job WHERE name = ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM job ORDER BY name";
    private static final String HELD_ROWS = "SELECT name, owner FROM job WHERE owner IS NOT NULL";
    private static final String BREAK = "UPDATE job SET owner = NULL, lease_expires_at = NULL, last_ended_at = ?,"
            + " last_outcome = 'FAILED', last_message = ? WHERE name = ? AND owner = ?";

    private final Jdbc jdbc;

    JdbcJobs(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Insert-if-absent first: nodes of a cluster starting at once all register the same jobs. */
    @Override
    public void registerJob(String name, Duration interval, Instant firstDue) {
        String insert = jdbc.dialect().insertIgnore("job", List.of("name", "interval_ms", "next_due_at"), List.of("name"));
        jdbc.writeUncached("register job", c -> {
            if (Jdbc.update(c, insert, name, interval.toMillis(), firstDue) == 0) {
                Jdbc.update(c, REREGISTER, interval.toMillis(), firstDue, firstDue, name);
            }
            return null;
        });
    }

    @Override
    public Optional<JobLease> acquireJob(String name, String owner, Instant now, Instant expiresAt) {
        int taken = jdbc.writeUncached("acquire job lease", c -> Jdbc.update(c, ACQUIRE, owner, expiresAt, now, name, now, now));
        return taken == 1 ? Optional.of(new JobLease(name, owner, expiresAt)) : Optional.empty();
    }

    @Override
    public Optional<JobLease> renewJob(JobLease lease, Instant expiresAt, Map<String, Long> counters) {
        int renewed = jdbc.writeUncached("renew job lease", c -> Jdbc.update(c, RENEW, expiresAt, json(counters),
                lease.job(), lease.owner(), lease.expiresAt()));
        return renewed == 1 ? Optional.of(new JobLease(lease.job(), lease.owner(), expiresAt)) : Optional.empty();
    }

    @Override
    public boolean finishJob(JobLease lease, Outcome outcome, String message, Map<String, Long> counters,
                             Instant endedAt, Instant nextDue) {
        return jdbc.writeRelaxed("finish job", c -> Jdbc.update(c, FINISH, endedAt, outcome.name(), message, json(counters),
                nextDue, lease.job(), lease.owner(), lease.expiresAt())) == 1;
    }

    @Override
    public boolean requestJobRun(String name, Instant now) {
        return jdbc.writeRelaxed("request job run", c -> Jdbc.update(c, REQUEST, now, name)) == 1;
    }

    @Override
    public Optional<JobRecord> findJob(String name) {
        return jdbc.read("find job", c -> Jdbc.queryOne(c, FIND, JdbcJobs::job, name));
    }

    @Override
    public List<JobRecord> listJobs() {
        return jdbc.read("list jobs", c -> Jdbc.query(c, LIST, JdbcJobs::job));
    }

    @Override
    public int breakJobLeases(Instant now) {
        return jdbc.writeUncached("break job leases", c -> {
            int broken = 0;
            for (String[] held : Jdbc.query(c, HELD_ROWS, rs -> new String[] {rs.getString("name"), rs.getString("owner")})) {
                broken += Jdbc.update(c, BREAK, now, JobRecord.brokenLeaseMessage(held[1]), held[0], held[1]);
            }
            return broken;
        });
    }

    private static JobRecord job(ResultSet rs) throws SQLException {
        String outcome = rs.getString("last_outcome");
        return new JobRecord(rs.getString("name"), Duration.ofMillis(rs.getLong("interval_ms")), rs.getString("owner"),
                instantOrNull(rs, "lease_expires_at"), instantOrNull(rs, "last_started_at"),
                instantOrNull(rs, "last_ended_at"), outcome == null ? null : Outcome.valueOf(outcome),
                rs.getString("last_message"), counters(rs.getString("counters")), instantOrNull(rs, "next_due_at"),
                instantOrNull(rs, "run_requested_at"));
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static String json(Map<String, Long> counters) {
        try {
            return JSON.writeValueAsString(counters);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("counters cannot be written as JSON", e);
        }
    }

    private static Map<String, Long> counters(String json) throws SQLException {
        try {
            return JSON.readValue(json, COUNTERS);
        } catch (JsonProcessingException e) {
            throw new SQLException("job counters are not a JSON object of numbers: " + json, e);
        }
    }
}
