package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** Kept statements behave as fresh ones: right answers, current data, nested use, bounded, finalized on close. */
class StatementCachingSqliteTest {
    private static final String BY_ID = "SELECT name FROM item WHERE id = ?";

    @TempDir
    Path dir;
    private StatementCachingSqlite source;
    private StatementCachingSqlite.CachingConnection c;

    @BeforeEach
    void open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        source = new StatementCachingSqlite(config, "jdbc:sqlite:" + dir.resolve("t.db"));
        c = (StatementCachingSqlite.CachingConnection) source.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO item VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void aClosedStatementIsKeptAndAnswersForItsNewBindings() throws SQLException {
        PreparedStatement first = c.prepareStatement(BY_ID);
        assertThat(name(first, 1)).isEqualTo("one");
        first.close();
        assertThat(c.keeps(first)).isTrue();

        PreparedStatement again = c.prepareStatement(BY_ID);
        assertThat(again).isSameAs(first);
        assertThat(c.keeps(again)).as("taken out while in use").isFalse();
        assertThat(name(again, 2)).isEqualTo("two");
        again.close();
    }

    @Test
    void theSameSqlInsideItsOwnResultLoopGetsAStatementOfItsOwn() throws SQLException {
        List<String> seen = new ArrayList<>();
        try (PreparedStatement outer = c.prepareStatement("SELECT id FROM item WHERE id >= ? ORDER BY id")) {
            outer.setInt(1, 1);
            try (ResultSet rs = outer.executeQuery()) {
                while (rs.next()) {
                    try (PreparedStatement inner = c.prepareStatement("SELECT id FROM item WHERE id >= ? ORDER BY id")) {
                        assertThat(inner).isNotSameAs(outer);
                        inner.setInt(1, 3);
                        try (ResultSet r = inner.executeQuery()) {
                            r.next();
                            seen.add(rs.getInt(1) + ":" + r.getInt(1));
                        }
                    }
                }
            }
        }
        assertThat(seen).containsExactly("1:3", "2:3", "3:3");
        assertThat(c.idleStatements()).as("one copy kept").isEqualTo(1);
    }

    @Test
    void aKeptQueryLeftHalfReadDoesNotHoldAnOldSnapshot() throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM item ORDER BY id")) {
            ResultSet rs = s.executeQuery();
            assertThat(rs.next()).isTrue(); // two rows left unread, the result set not closed
        }
        try (Connection writer = source.getConnection(); Statement w = writer.createStatement()) {
            w.execute("UPDATE item SET name = 'uno' WHERE id = 1");
        }
        try (PreparedStatement s = c.prepareStatement(BY_ID)) {
            assertThat(name(s, 1)).as("the other connection's commit").isEqualTo("uno");
        }
        try (Statement checkpoint = c.createStatement()) {
            ResultSet rs = checkpoint.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)");
            assertThat(rs.getInt(1)).as("no reader holds the WAL back").isZero();
        }
    }

    @Test
    void bindingsDoNotCarryOverToTheNextUse() throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)")) {
            s.setInt(1, 4);
            s.setString(2, "four");
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)")) {
            s.setInt(1, 5); // the name left unbound: NULL, not "four"
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(BY_ID)) {
            assertThat(name(s, 5)).isNull();
        }
    }

    @Test
    void theCacheKeepsAtMostItsCapacityAndTheMostRecent() throws SQLException {
        for (int i = 0; i < StatementCachingSqlite.CAPACITY + 20; i++) {
            try (PreparedStatement s = c.prepareStatement("SELECT " + i)) {
                s.executeQuery().close();
            }
        }
        assertThat(c.idleStatements()).isEqualTo(StatementCachingSqlite.CAPACITY);
        PreparedStatement latest = c.prepareStatement("SELECT " + (StatementCachingSqlite.CAPACITY + 19));
        assertThat(c.idleStatements()).isEqualTo(StatementCachingSqlite.CAPACITY - 1);
        latest.close();
    }

    @Test
    void aFailedStatementIsStillUsableAndClosingTheConnectionFinalizesTheKeptOnes() throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)")) {
            s.setInt(1, 1);
            s.setString(2, "dup");
            assertThatThrownBy(s::executeUpdate).isInstanceOf(SQLException.class);
        }
        PreparedStatement kept;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)")) {
            s.setInt(1, 6);
            s.setString(2, "six");
            assertThat(s.executeUpdate()).isEqualTo(1);
            kept = s;
        }
        c.close();
        assertThat(kept.isClosed()).isTrue();
    }

    @Test
    void throughTheConnectionPoolStatementsAreKeptAcrossBorrowings() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setDataSource(source);
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            PreparedStatement raw;
            try (Connection pooled = pool.getConnection(); PreparedStatement s = pooled.prepareStatement(BY_ID)) {
                assertThat(name(s, 3)).isEqualTo("three");
                raw = s.unwrap(PreparedStatement.class);
            }
            try (Connection pooled = pool.getConnection()) {
                var cc = pooled.unwrap(StatementCachingSqlite.CachingConnection.class);
                assertThat(cc.keeps(raw)).isTrue();
                try (PreparedStatement s = pooled.prepareStatement(BY_ID)) {
                    assertThat(s.unwrap(PreparedStatement.class)).isSameAs(raw);
                    assertThat(name(s, 2)).isEqualTo("two");
                }
            }
        }
    }

    private static String name(PreparedStatement s, int id) throws SQLException {
        s.setInt(1, id);
        try (ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
