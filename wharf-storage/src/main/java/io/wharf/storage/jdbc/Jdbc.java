package io.wharf.storage.jdbc;

import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Plain JDBC with the boilerplate in one place. Writes run in a transaction on the write pool,
 * reads in auto-commit on the read pool; SQLite gets one writer connection that way, so writers
 * queue in the pool instead of failing with SQLITE_BUSY.
 */
final class Jdbc {

    /** Most databases cap bind parameters (SQLite: 32766); IN lists are split well below that. */
    static final int MAX_IN_LIST = 500;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final DataSource writes;
    private final DataSource reads;
    private final ReadCache cache;

    /** @param cache invalidated after every commit */
    Jdbc(DataSource writes, DataSource reads, ReadCache cache) {
        this.writes = writes;
        this.reads = reads;
        this.cache = cache;
    }

    /** Runs {@code work} in one transaction: all of it commits, or none of it. */
    <T> T write(String what, Work<T> work) {
        try (Connection c = writes.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                cache.invalidate();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new MetadataStoreException(what, e);
        }
    }

    <T> T read(String what, Work<T> work) {
        try (Connection c = reads.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new MetadataStoreException(what, e);
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** Runs {@code sql} once per argument row, in one round of batched statements. */
    static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] args : rows) {
                bind(ps, args);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static <T> List<T> query(Connection c, String sql, Row<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    static <T> Optional<T> queryOne(Connection c, String sql, Row<T> mapper, Object... args) throws SQLException {
        List<T> rows = query(c, sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /**
     * Whether the repository row exists, asked inside a write before rows that reference it: a repository
     * deleted meanwhile is then an answer for the domain rather than a foreign-key violation.
     */
    static boolean repositoryExists(Connection c, long repositoryId) throws SQLException {
        return queryOne(c, "SELECT 1 FROM repository WHERE id = ?", rs -> 1, repositoryId).isPresent();
    }

    /** {@code ?, ?, ?} for an IN list of {@code n} values. */
    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    static Digest digestOrNull(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : Digest.parse(text);
    }

    /** Binds value types the way the schema stores them: text for names and digests, millis for instants. */
    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            int index = i + 1;
            switch (arg) {
                case null -> ps.setNull(index, Types.VARCHAR);
                case Digest d -> ps.setString(index, d.toString());
                case Tag t -> ps.setString(index, t.value());
                case RepositoryName n -> ps.setString(index, n.value());
                case Instant t -> ps.setLong(index, t.toEpochMilli());
                case byte[] b -> ps.setBytes(index, b);
                case String s -> ps.setString(index, s);
                case Long l -> ps.setLong(index, l);
                case Integer n -> ps.setInt(index, n);
                default -> throw new IllegalArgumentException("cannot bind " + arg.getClass());
            }
        }
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
