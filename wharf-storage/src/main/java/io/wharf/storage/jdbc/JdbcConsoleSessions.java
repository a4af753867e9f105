package io.wharf.storage.jdbc;

import io.wharf.core.spi.ConsoleSessionIndex;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link ConsoleSessionIndex} in the metadata database ({@code console_session}, {@code console_sign_in_failure}).
 * The read cache answers from neither table, so the throttle's writes leave it warm.
 */
final class JdbcConsoleSessions implements ConsoleSessionIndex {
    private static final String COLUMNS = "id_hash, account, principal_arn, csrf_token, created_at, last_seen_at,"
            + " expires_at, access_key_id";
    private static final String INSERT = "INSERT INTO console_session (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String FIND = "SELECT " + COLUMNS + " FROM console_session WHERE id_hash = ?";
    private static final String TOUCH = "UPDATE console_session SET last_seen_at = ? WHERE id_hash = ?";
    private static final String DELETE = "DELETE FROM console_session WHERE id_hash = ?";
    private static final String EXPIRE = "DELETE FROM console_session WHERE expires_at <= ? OR last_seen_at <= ?";
    /** One statement, so two nodes counting the same subject at once both count (the row's lock orders them). */
    private static final String COUNT_FAILURE = "INSERT INTO console_sign_in_failure (subject, failures, window_start)"
            + " VALUES (?, 1, ?) ON CONFLICT (subject) DO UPDATE SET"
            + " failures = CASE WHEN console_sign_in_failure.window_start > ?"
            + " THEN console_sign_in_failure.failures + 1 ELSE 1 END,"
            + " window_start = CASE WHEN console_sign_in_failure.window_start > ?"
            + " THEN console_sign_in_failure.window_start ELSE excluded.window_start END";
    private static final String FIND_FAILURES = "SELECT subject, failures, window_start FROM console_sign_in_failure"
            + " WHERE subject = ?";

    private final Jdbc jdbc;

    JdbcConsoleSessions(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void createSession(ConsoleSession s) {
        jdbc.write("create a console session", c -> Jdbc.update(c, INSERT, s.idHash(), s.account(), s.principalArn(),
                s.csrfToken(), s.createdAt(), s.lastSeenAt(), s.expiresAt(), s.accessKeyId()));
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

    @Override
    public SignInFailures recordSignInFailure(String subject, Instant at, Instant windowStartedAfter) {
        return jdbc.writeUncached("count a failed sign-in", c -> {
            Jdbc.update(c, COUNT_FAILURE, subject, at, windowStartedAfter, windowStartedAfter);
            return Jdbc.queryOne(c, FIND_FAILURES, JdbcConsoleSessions::failures, subject).orElseThrow();
        });
    }

    @Override
    public Optional<SignInFailures> signInFailures(String subject) {
        return jdbc.read("read failed sign-ins",
                c -> Jdbc.queryOne(c, FIND_FAILURES, JdbcConsoleSessions::failures, subject));
    }

    @Override
    public void clearSignInFailures(String subject) {
        jdbc.writeUncached("clear failed sign-ins",
                c -> Jdbc.update(c, "DELETE FROM console_sign_in_failure WHERE subject = ?", subject));
    }

    @Override
    public int deleteSignInFailures(Instant windowStartedBy) {
        return jdbc.writeUncached("sweep failed sign-ins", c -> Jdbc.update(c,
                "DELETE FROM console_sign_in_failure WHERE window_start <= ?", windowStartedBy));
    }

    private static SignInFailures failures(ResultSet rs) throws SQLException {
        return new SignInFailures(rs.getString("subject"), rs.getInt("failures"), Jdbc.instant(rs, "window_start"));
    }

    private static ConsoleSession session(ResultSet rs) throws SQLException {
        return new ConsoleSession(rs.getString("id_hash"), rs.getString("account"), rs.getString("principal_arn"),
                rs.getString("csrf_token"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_seen_at"),
                Jdbc.instant(rs, "expires_at"), rs.getString("access_key_id"));
    }
}
