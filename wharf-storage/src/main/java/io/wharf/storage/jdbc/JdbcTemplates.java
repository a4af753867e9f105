package io.wharf.storage.jdbc;

import io.wharf.core.spi.TemplateIndex;

/** {@link TemplateIndex} in the metadata database. */
final class JdbcTemplates implements TemplateIndex {
    private final Jdbc jdbc;
    private final SqlDialect dialect;

    JdbcTemplates(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }
}
