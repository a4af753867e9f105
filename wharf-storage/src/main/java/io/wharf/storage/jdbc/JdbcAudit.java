package io.wharf.storage.jdbc;

import io.wharf.core.audit.AuditJson;
import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditRecord;
import io.wharf.core.spi.AuditIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link AuditIndex} in the metadata database ({@code audit_event}): the record as JSON, indexed fields beside it. */
final class JdbcAudit implements AuditIndex {
    private static final List<String> COLUMNS = List.of("event_id", "event_time", "account", "event_name",
            "principal_arn", "user_name", "root_account", "access_key_id", "repository", "read_only", "record");
    private static final String DELETE = "DELETE FROM audit_event WHERE event_id IN (SELECT event_id FROM audit_event"
            + " WHERE event_time < ? ORDER BY event_time, event_id LIMIT ?)";

    private final Jdbc jdbc;
    private final String insert;

    JdbcAudit(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.insert = dialect.insertIgnore("audit_event", COLUMNS, List.of("event_id"));
    }

    @Override
    public void appendAudit(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(records.size());
        for (AuditRecord r : records) {
            var who = r.identity();
            rows.add(new Object[] {r.eventId(), r.eventTime(), r.account(), r.eventName(), who.arn(), who.userName(),
                    "Root".equals(who.type()) ? who.accountId() : null, who.accessKeyId(), r.repository(),
                    r.readOnly() ? 1 : 0, AuditJson.toJson(r)});
        }
        jdbc.writeUncached("append audit records", c -> {
            Jdbc.batch(c, insert, rows);
            return null;
        });
    }

    @Override
    public List<AuditRecord> findAudit(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT record FROM audit_event WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        filter(sql, args, "account = ?", q.account());
        filter(sql, args, "event_time >= ?", q.start());
        filter(sql, args, "event_time < ?", q.end());
        filter(sql, args, "event_name = ?", q.eventName());
        if (q.principal() != null) {
            sql.append(" AND (principal_arn = ? OR user_name = ? OR root_account = ?)");
            args.addAll(List.of(q.principal(), q.principal(), q.principal()));
        }
        filter(sql, args, "repository = ?", q.repository());
        filter(sql, args, "access_key_id = ?", q.accessKeyId());
        filter(sql, args, "read_only = ?", q.readOnly() == null ? null : q.readOnly() ? 1 : 0);
        filter(sql, args, "event_id = ?", q.eventId());
        if (q.after() != null) {
            sql.append(" AND (event_time < ? OR (event_time = ? AND event_id < ?))");
            args.addAll(List.of(q.after().eventTime(), q.after().eventTime(), q.after().eventId()));
        }
        sql.append(" ORDER BY event_time DESC, event_id DESC LIMIT ?");
        args.add(q.limit());
        return jdbc.read("look up audit records", c -> Jdbc.query(c, sql.toString(),
                rs -> AuditJson.fromJson(rs.getString("record")), args.toArray()));
    }

    private static void filter(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            args.add(value);
        }
    }

    @Override
    public int deleteAuditBefore(Instant cutoff, int limit) {
        return jdbc.writeUncached("delete old audit records", c -> Jdbc.update(c, DELETE, cutoff, limit));
    }
}
