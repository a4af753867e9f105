package io.wharf.storage.jdbc;

import io.wharf.core.spi.SecretIndex;

/** {@link SecretIndex} in the metadata database. */
final class JdbcSecrets implements SecretIndex {
    private final Jdbc jdbc;
    private final SqlDialect dialect;

    JdbcSecrets(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }
}
