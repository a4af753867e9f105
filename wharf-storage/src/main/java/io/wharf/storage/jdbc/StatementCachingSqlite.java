package io.wharf.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * SQLite connections that keep their prepared statements. sqlite-jdbc compiles every statement afresh, and a
 * profile under a push load put about a fifth of SQLite's time in {@code sqlite3_prepare}; the same few dozen
 * statements run again and again, so each connection keeps the last {@link #CAPACITY} it was asked for.
 *
 * <p>A statement is in the cache only while nobody uses it: {@code prepareStatement} takes it out and {@code close}
 * resets it (ending its read of the database, clearing its bindings) and puts it back. Asked for a statement that is
 * in use (the same SQL nested inside its own result loop), the connection compiles another one. Closing the
 * connection finalizes them all. The pools hand out these connections; Flyway gets plain ones.
 */
final class StatementCachingSqlite extends SQLiteDataSource {
    /** Statements kept per connection: Wharf's distinct SQL texts on a busy path, with room for IN-list variants. */
    static final int CAPACITY = 256;

    StatementCachingSqlite(SQLiteConfig config, String url) {
        super(config);
        setUrl(url);
    }

    @Override
    public SQLiteConnection getConnection(String username, String password) throws SQLException {
        Properties properties = getConfig().toProperties();
        return new CachingConnection(getUrl(), getUrl().substring(JDBC.PREFIX.length()), properties);
    }

    /** A connection with its cache of idle statements, least recently used first. */
    static final class CachingConnection extends JDBC4Connection {
        private final LinkedHashMap<String, CachedStatement> idle = new LinkedHashMap<>(64, 0.75f, true);

        CachingConnection(String url, String file, Properties properties) throws SQLException {
            super(url, file, properties);
        }

        @Override
        public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
                throws SQLException {
            if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
                return super.prepareStatement(sql, type, concurrency, holdability);
            }
            checkOpen();
            CachedStatement kept;
            synchronized (idle) {
                kept = idle.remove(sql);
            }
            return kept != null ? kept : new CachedStatement(this, sql);
        }

        /** Keeps {@code s} for the next use of its SQL, finalizing what that pushes out. */
        private void keep(CachedStatement s) {
            List<CachedStatement> out = new ArrayList<>(1);
            synchronized (idle) {
                CachedStatement other = idle.put(s.sql(), s);
                if (other != null) {
                    out.add(other); // a nested use's twin: one copy is enough
                }
                var it = idle.entrySet().iterator();
                while (idle.size() > CAPACITY && it.hasNext()) {
                    out.add(it.next().getValue());
                    it.remove();
                }
            }
            out.forEach(CachedStatement::finalizeQuietly);
        }

        @Override
        public void close() throws SQLException {
            List<CachedStatement> all;
            synchronized (idle) {
                all = new ArrayList<>(idle.values());
                idle.clear();
            }
            all.forEach(CachedStatement::finalizeQuietly);
            super.close();
        }

        /** How many statements wait in the cache (tests). */
        int idleStatements() {
            synchronized (idle) {
                return idle.size();
            }
        }

        /** Whether {@code s} is the cached statement of its SQL (tests). */
        boolean keeps(PreparedStatement s) {
            synchronized (idle) {
                return s instanceof CachedStatement st && idle.get(st.sql()) == st;
            }
        }
    }

    /** A statement whose {@code close} hands it back to its connection instead of finalizing it. */
    static final class CachedStatement extends JDBC4PreparedStatement {
        private final CachingConnection owner;

        CachedStatement(CachingConnection owner, String sql) throws SQLException {
            super(owner, sql);
            this.owner = owner;
        }

        String sql() {
            return sql;
        }

        @Override
        public void close() throws SQLException {
            if (pointer == null || pointer.isClosed() || owner.isClosed()) {
                super.close();
                return;
            }
            try {
                rs.close();
                pointer.safeRunInt((db, statement) -> db.reset(statement)); // ends its read: no stale snapshot kept
                clearParameters();
                clearBatch();
            } catch (SQLException | RuntimeException e) {
                finalizeQuietly();
                throw e;
            }
            owner.keep(this);
        }

        void finalizeQuietly() {
            try {
                super.close();
            } catch (SQLException ignored) {
                // finalizing a statement of a closing connection: SQLite finalizes what is left on close anyway
            }
        }
    }
}
