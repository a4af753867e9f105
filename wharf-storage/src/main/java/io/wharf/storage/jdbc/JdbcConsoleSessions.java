package io.wharf.storage.jdbc;

import io.wharf.core.spi.ConsoleSessionIndex;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** {@link ConsoleSessionIndex} in the metadata database ({@code console_session}). */
final class JdbcConsoleSessions implements ConsoleSessionIndex {
    private static final String COLUMNS = "id_hash, account, principal_arn, csrf_token, created_at, last_seen_at, expires_at";
    private static final String INSERT = "INSERT INTO console_session (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String FIND = "SELECT " + COLUMNS + " FROM console_session WHERE id_hash = ?";
    private static final String TOUCH = "UPDATE console_session SET last_seen_at = ? WHERE id_hash = ?";
    private static final String DELETE = "DELETE FROM console_session WHERE id_hash = ?";
    private static final String EXPIRE = "DELETE FROM console_session WHERE expires_at <= ? OR last_seen_at <= ?";

    private final Jdbc jdbc;

    JdbcConsoleSessions(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void createSession(ConsoleSession s) {
        jdbc.write("create a console session", c -> Jdbc.update(c, INSERT, s.idHash(), s.account(), s.principalArn(),
                s.csrfToken(), s.createdAt(), s.lastSeenAt(), s.expiresAt()));
    }

    @Override
    public Optional<ConsoleSession> findSession(String idHash) {
        return jdbc.read("find a console session", c -> Jdbc.queryOne(c, FIND, JdbcConsoleSessions::session, idHash));
    }

    @Override
    public boolean touchSession(String idHash, Instant at) {
        return jdbc.write("touch a console session", c -> Jdbc.update(c, TOUCH, at, idHash) > 0);
    }

    @Override
    public boolean deleteSession(String idHash) {
        return jdbc.write("delete a console session", c -> Jdbc.update(c, DELETE, idHash) > 0);
    }

    @Override
    public int deleteExpiredSessions(Instant now, Instant idleSince) {
        return jdbc.write("expire console sessions", c -> Jdbc.update(c, EXPIRE, now, idleSince));
    }

    private static ConsoleSession session(ResultSet rs) throws SQLException {
        return new ConsoleSession(rs.getString("id_hash"), rs.getString("account"), rs.getString("principal_arn"),
                rs.getString("csrf_token"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_seen_at"),
                Jdbc.instant(rs, "expires_at"));
    }
}
