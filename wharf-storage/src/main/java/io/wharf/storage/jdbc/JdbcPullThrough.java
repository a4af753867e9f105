package io.wharf.storage.jdbc;

import io.wharf.core.spi.PullThroughIndex;

/** {@link PullThroughIndex} in the metadata database. */
final class JdbcPullThrough implements PullThroughIndex {
    private final Jdbc jdbc;
    private final SqlDialect dialect;

    JdbcPullThrough(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }
}
