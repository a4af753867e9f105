package io.wharf.storage.jdbc;

import io.wharf.core.spi.AdvisoryIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link AdvisoryIndex} in the metadata database. An import is one write transaction: the feed is read inside
 * it, in batches of {@link Jdbc#MAX_IN_LIST} advisories (one lookup of the stored versions, then batched deletes
 * and inserts); a feed that throws rolls all of it back, generation included.
 */
final class JdbcAdvisories implements AdvisoryIndex {
    private static final String LOCK = "advisory-import";
    /** One row even before the first import (no state row yet: generation 0). */
    private static final String STATE = "SELECT (SELECT generation FROM advisory_state WHERE id = 1) AS generation,"
            + " (SELECT imported_at FROM advisory_state WHERE id = 1) AS imported_at,"
            + " (SELECT COUNT(*) FROM advisory) AS n, (SELECT MAX(modified) FROM advisory) AS newest";
    private static final String BY_KEY = "SELECT a.id, a.modified, a.document FROM advisory_key k"
            + " JOIN advisory a ON a.id = k.advisory_id WHERE k.ecosystem = ? AND k.name = ? ORDER BY a.id";

    private final Jdbc jdbc;

    JdbcAdvisories(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts of one import, grown batch by batch inside its transaction. */
    private static final class Tally {
        long written;
        long unchanged;
        long withdrawn;
    }

    @Override
    public ImportResult importAdvisories(AdvisoryFeed feed, Instant now, SourceFile source) throws IOException {
        try {
            return jdbc.writeUncached("import advisories", c -> importIn(c, feed, now, source));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private ImportResult importIn(Connection c, AdvisoryFeed feed, Instant now, SourceFile source) throws SQLException {
        jdbc.lock(c, LOCK);
        Tally tally = new Tally();
        Map<String, StoredAdvisory> batch = new LinkedHashMap<>();
        try {
            feed.forEach(a -> {
                batch.put(a.id(), a);
                if (batch.size() >= Jdbc.MAX_IN_LIST) {
                    flush(c, batch, tally);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SqlFailure e) {
            throw (SQLException) e.getCause();
        }
        store(c, batch.values(), tally);
        if (tally.written + tally.withdrawn > 0) {
            if (Jdbc.update(c, "UPDATE advisory_state SET generation = generation + 1, imported_at = ? WHERE id = 1", now) == 0) {
                Jdbc.update(c, "INSERT INTO advisory_state (id, generation, imported_at) VALUES (1, 1, ?)", now);
            }
        }
        if (source != null) {
            remember(c, source);
        }
        return new ImportResult(tally.written, tally.unchanged, tally.withdrawn, state(c));
    }

    /** Inside the feed's consumer: a SQL failure is carried out as {@link SqlFailure}. */
    private static void flush(Connection c, Map<String, StoredAdvisory> batch, Tally tally) {
        try {
            store(c, batch.values(), tally);
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
        batch.clear();
    }

    /** Carries a SQL failure out of the feed's consumer; unwrapped by the caller's transaction. */
    private static final class SqlFailure extends RuntimeException {
        SqlFailure(SQLException e) {
            super(e);
        }
    }

    private static void store(Connection c, java.util.Collection<StoredAdvisory> batch, Tally tally) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        List<String> ids = batch.stream().map(StoredAdvisory::id).toList();
        Map<String, StoredAdvisory> old = stored(c, ids);
        List<Object[]> gone = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> keys = new ArrayList<>();
        for (StoredAdvisory a : batch) {
            StoredAdvisory was = old.get(a.id());
            if (a.document() == null) {
                if (was != null) {
                    gone.add(new Object[] {a.id()});
                    tally.withdrawn++;
                }
            } else if (was != null && was.document().equals(a.document()) && java.util.Objects.equals(was.modified(), a.modified())) {
                tally.unchanged++;
            } else {
                if (was != null) {
                    gone.add(new Object[] {a.id()});
                }
                rows.add(new Object[] {a.id(), a.modified(), a.document()});
                for (AdvisoryKey k : a.keys()) {
                    keys.add(new Object[] {k.ecosystem(), k.name(), a.id()});
                }
                tally.written++;
            }
        }
        Jdbc.batch(c, "DELETE FROM advisory_key WHERE advisory_id = ?", gone);
        Jdbc.batch(c, "DELETE FROM advisory WHERE id = ?", gone);
        Jdbc.batch(c, "INSERT INTO advisory (id, modified, document) VALUES (?, ?, ?)", rows);
        Jdbc.batch(c, "INSERT INTO advisory_key (ecosystem, name, advisory_id) VALUES (?, ?, ?)", keys);
    }

    private static Map<String, StoredAdvisory> stored(Connection c, List<String> ids) throws SQLException {
        String sql = "SELECT id, modified, document FROM advisory WHERE id IN (" + Jdbc.placeholders(ids.size()) + ")";
        Map<String, StoredAdvisory> out = new HashMap<>();
        for (StoredAdvisory a : Jdbc.query(c, sql, rs -> advisory(rs, Set.of()), ids.toArray())) {
            out.put(a.id(), a);
        }
        return out;
    }

    private static void remember(Connection c, SourceFile f) throws SQLException {
        Jdbc.update(c, "DELETE FROM advisory_source_file WHERE path = ?", f.path());
        Jdbc.update(c, "INSERT INTO advisory_source_file (path, size, modified_at, sha256) VALUES (?, ?, ?, ?)",
                f.path(), f.size(), f.modifiedAt(), f.sha256());
    }

    private static StoredAdvisory advisory(ResultSet rs, Set<AdvisoryKey> keys) throws SQLException {
        long modified = rs.getLong("modified");
        return new StoredAdvisory(rs.getString("id"), rs.wasNull() ? null : Instant.ofEpochMilli(modified), keys,
                rs.getString("document"));
    }

    @Override
    public List<StoredAdvisory> advisories(String ecosystem, String name) {
        Set<AdvisoryKey> key = Set.of(new AdvisoryKey(ecosystem, name));
        return jdbc.read("read advisories", c -> Jdbc.query(c, BY_KEY, rs -> advisory(rs, key), ecosystem, name));
    }

    @Override
    public AdvisoryState advisoryState() {
        return jdbc.read("read the advisory state", JdbcAdvisories::state);
    }

    private static AdvisoryState state(Connection c) throws SQLException {
        return Jdbc.queryOne(c, STATE, rs -> {
            long newest = rs.getLong("newest");
            Instant newestAt = rs.wasNull() ? null : Instant.ofEpochMilli(newest);
            long imported = rs.getLong("imported_at");
            Instant importedAt = rs.wasNull() ? null : Instant.ofEpochMilli(imported);
            return new AdvisoryState(rs.getLong("generation"), rs.getLong("n"), newestAt, importedAt);
        }).orElseThrow();
    }

    @Override
    public Optional<SourceFile> sourceFile(String path) {
        return jdbc.read("read an imported file", c -> Jdbc.queryOne(c,
                "SELECT path, size, modified_at, sha256 FROM advisory_source_file WHERE path = ?",
                rs -> new SourceFile(rs.getString("path"), rs.getLong("size"), Jdbc.instant(rs, "modified_at"),
                        rs.getString("sha256")), path));
    }
}
