package io.wharf.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies the metadata of a SQLite store into an empty PostgreSQL store ({@code wharf migrate}): every table the
 * schema has, parents before children (by their foreign keys), ids as they were, identity sequences moved past
 * every id SQLite ever handed out. One transaction: a failure leaves the target empty, so a re-run starts over.
 *
 * <p>Not copied: in-progress uploads (their bytes live beside the source's server; clients restart them) and
 * job rows (every node registers the jobs at start; leases of the stopped server mean nothing).
 */
public final class PostgresImport {
    /** Tables that are not copied; tables referring to them are skipped too. */
    private static final Set<String> SKIPPED = Set.of("flyway_schema_history", "upload", "job",
            "repository_usage", "registry_usage"); // usage counters: the target's triggers rebuild them as rows arrive
    private static final int BATCH = 500;

    /** Changes a row on its way (re-sealing secrets for the target's key); the map is column to value. */
    @FunctionalInterface
    public interface RowTransform {
        void apply(String table, Map<String, Object> row);
    }

    /** What was copied: rows per table, in copy order. */
    public record Result(Map<String, Long> rows) {
    }

    private record Column(String name, String type, boolean identity) {
    }

    private PostgresImport() {
    }

    /** The first table of {@code target} that holds rows (besides Flyway's), or null when it is empty. */
    public static String firstNonEmptyTable(JdbcMetadataStore target) {
        return target.jdbc().read("check the target is empty", c -> {
            for (String table : tablesInOrder(c)) {
                if (Jdbc.queryOne(c, "SELECT 1 FROM " + table + " LIMIT 1", rs -> 1).isPresent()) {
                    return table;
                }
            }
            return null;
        });
    }

    /** Copies every table of {@code source} into {@code target} in one transaction of {@code target}. */
    public static Result copy(JdbcMetadataStore source, JdbcMetadataStore target, RowTransform transform) {
        return target.jdbc().writeUncached("import the metadata", to -> source.jdbc().read("read the metadata", from -> {
            Map<String, Long> rows = new LinkedHashMap<>();
            for (String table : tablesInOrder(to)) {
                rows.put(table, copyTable(from, to, table, transform));
            }
            for (String table : rows.keySet()) {
                resetIdentities(from, to, table);
            }
            return new Result(rows);
        }));
    }

    /** The target's tables, each after the tables its foreign keys point to, without the skipped ones. */
    private static List<String> tablesInOrder(Connection c) throws SQLException {
        List<String> tables = Jdbc.query(c, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
                rs -> rs.getString(1));
        List<String[]> references = Jdbc.query(c, "SELECT DISTINCT ch.relname, pa.relname FROM pg_constraint k"
                + " JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid"
                + " JOIN pg_namespace n ON n.oid = ch.relnamespace WHERE k.contype = 'f' AND n.nspname = current_schema()",
                rs -> new String[] {rs.getString(1), rs.getString(2)});
        Set<String> ordered = new LinkedHashSet<>();
        Set<String> skipped = new LinkedHashSet<>(SKIPPED);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String table : tables) {
                if (ordered.contains(table) || skipped.contains(table)) {
                    continue;
                }
                List<String> parents = references.stream().filter(r -> r[0].equals(table) && !r[1].equals(table))
                        .map(r -> r[1]).toList();
                if (parents.stream().anyMatch(skipped::contains)) {
                    progress = skipped.add(table);
                } else if (ordered.containsAll(parents)) {
                    progress = ordered.add(table);
                }
            }
        }
        List<String> stuck = tables.stream().filter(t -> !ordered.contains(t) && !skipped.contains(t)).toList();
        if (!stuck.isEmpty()) {
            throw new IllegalStateException("foreign keys form a cycle among " + stuck);
        }
        return new ArrayList<>(ordered);
    }

    private static long copyTable(Connection from, Connection to, String table, RowTransform transform)
            throws SQLException {
        List<Column> columns = columns(to, table);
        List<String> names = columns.stream().map(Column::name).toList();
        String insert = insert(table, names, primaryKey(to, table));
        long copied = 0;
        try (PreparedStatement read = from.prepareStatement("SELECT " + String.join(", ", names) + " FROM " + table);
             ResultSet rs = read.executeQuery();
             PreparedStatement write = to.prepareStatement(insert)) {
            int pending = 0;
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (Column col : columns) {
                    row.put(col.name(), rs.getObject(col.name()));
                }
                transform.apply(table, row);
                bind(write, columns, row);
                write.addBatch();
                copied++;
                if (++pending == BATCH) {
                    write.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
        return copied;
    }

    /**
     * An insert that lets the source's row win over one the target's triggers already made (blobs put into the
     * garbage collector's review queue as they are inserted).
     */
    private static String insert(String table, List<String> names, List<String> key) {
        List<String> update = names.stream().filter(n -> !key.contains(n)).toList();
        if (key.isEmpty()) {
            return "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                    + Jdbc.placeholders(names.size()) + ")";
        }
        return update.isEmpty() ? PostgresDialect.INSTANCE.insertIgnore(table, names, key)
                : PostgresDialect.INSTANCE.upsert(table, names, key, update);
    }

    private static List<Column> columns(Connection c, String table) throws SQLException {
        return Jdbc.query(c, "SELECT column_name, data_type, is_identity FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                rs -> new Column(rs.getString(1), rs.getString(2), "YES".equals(rs.getString(3))), table);
    }

    private static List<String> primaryKey(Connection c, String table) throws SQLException {
        return Jdbc.query(c, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY a.attnum",
                rs -> rs.getString(1), table);
    }

    /** SQLite hands back Integer or Long, String, byte[]; each goes in as its target column's type. */
    private static void bind(PreparedStatement ps, List<Column> columns, Map<String, Object> row) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            Column col = columns.get(i);
            Object v = row.get(col.name());
            int index = i + 1;
            switch (col.type()) {
                case "bigint", "integer", "smallint" -> {
                    if (v == null) {
                        ps.setNull(index, Types.BIGINT);
                    } else {
                        ps.setLong(index, ((Number) v).longValue());
                    }
                }
                case "bytea" -> ps.setBytes(index, (byte[]) v);
                default -> ps.setString(index, v == null ? null : v.toString());
            }
        }
    }

    /**
     * Moves each identity sequence past the largest id copied and past SQLite's own counter: AUTOINCREMENT
     * never reuses the id of a deleted row, and neither may the target.
     */
    private static void resetIdentities(Connection from, Connection to, String table) throws SQLException {
        for (Column col : columns(to, table)) {
            if (!col.identity()) {
                continue;
            }
            long max = Jdbc.queryOne(to, "SELECT COALESCE(MAX(" + col.name() + "), 0) FROM " + table, rs -> rs.getLong(1))
                    .orElse(0L);
            boolean counted = Jdbc.queryOne(from, "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'",
                    rs -> 1).isPresent();
            long sqliteSeq = !counted ? 0 : Jdbc.queryOne(from, "SELECT seq FROM sqlite_sequence WHERE name = ?",
                    rs -> rs.getLong(1), table).orElse(0L);
            long last = Math.max(max, sqliteSeq);
            if (last > 0) {
                Jdbc.queryOne(to, "SELECT setval(pg_get_serial_sequence(?, ?), ?)", rs -> 1, table, col.name(), last);
            }
        }
    }
}
