package io.wharf.storage.jdbc;

import io.wharf.core.spi.ReplicationIndex;

/** {@link ReplicationIndex} in the metadata database. */
final class JdbcReplication implements ReplicationIndex {
    private final Jdbc jdbc;
    private final SqlDialect dialect;

    JdbcReplication(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }
}
