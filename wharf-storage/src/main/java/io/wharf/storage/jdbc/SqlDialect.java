package io.wharf.storage.jdbc;

import java.util.List;

/**
 * What differs between the databases {@link JdbcMetadataStore} runs on. Everything else it sends is
 * portable SQL; keep it that way, so adding PostgreSQL is a new dialect plus its migrations.
 */
public interface SqlDialect {

    /** Flyway location of this database's migrations, e.g. {@code classpath:db/migration/sqlite}. */
    String migrationLocation();

    /** An INSERT of {@code columns} (one parameter each) that skips a row whose {@code key} already exists. */
    String insertIgnore(String table, List<String> columns, List<String> key);

    /** As {@link #insertIgnore}, with the rows of {@code select} (which must have a WHERE clause). */
    String insertIgnoreSelect(String table, List<String> columns, List<String> key, String select);

    /** An INSERT of {@code columns} that, when a row with the same {@code key} exists, updates {@code update} instead. */
    String upsert(String table, List<String> columns, List<String> key, List<String> update);
}
