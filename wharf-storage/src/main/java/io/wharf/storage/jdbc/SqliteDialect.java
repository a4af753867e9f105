package io.wharf.storage.jdbc;

import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** SQLite (3.24 or newer, for {@code ON CONFLICT ... DO}). */
public final class SqliteDialect implements SqlDialect {

    public static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/sqlite";
    }

    @Override
    public String insertIgnore(String table, List<String> columns, List<String> key) {
        return insert(table, columns) + " ON CONFLICT (" + String.join(", ", key) + ") DO NOTHING";
    }

    /** SQLite needs the WHERE: without it {@code ON CONFLICT} would parse as a join constraint. */
    @Override
    public String insertIgnoreSelect(String table, List<String> columns, List<String> key, String select) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") " + select
                + " ON CONFLICT (" + String.join(", ", key) + ") DO NOTHING";
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> key, List<String> update) {
        String set = update.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
        return insert(table, columns) + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + set;
    }

    private static String insert(String table, List<String> columns) {
        String params = String.join(", ", Collections.nCopies(columns.size(), "?"));
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + params + ")";
    }
}
