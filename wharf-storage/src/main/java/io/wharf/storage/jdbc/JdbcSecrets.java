package io.wharf.storage.jdbc;

import io.wharf.core.spi.SecretIndex;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link SecretIndex} in the metadata database ({@code account_secret}); the bytes arrive sealed. */
final class JdbcSecrets implements SecretIndex {
    private static final String COLUMNS = "account, name, description, sealed, created_at, updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM account_secret WHERE account = ? AND name = ?";
    private static final String PAGE = "SELECT " + COLUMNS + " FROM account_secret WHERE account = ? AND name > ?"
            + " ORDER BY name LIMIT ?";
    private static final String UPDATE = "UPDATE account_secret SET description = ?, sealed = ?, updated_at = ?"
            + " WHERE account = ? AND name = ?";
    private static final String DELETE = "DELETE FROM account_secret WHERE account = ? AND name = ?";

    private final Jdbc jdbc;
    private final String insert;

    JdbcSecrets(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.insert = dialect.insertIgnore("account_secret", List.of(COLUMNS.split(", ")), List.of("account", "name"));
    }

    /** Insert, or else update: one transaction, so the creation time stays the first put's. */
    @Override
    public boolean putSecret(String account, String name, String description, byte[] sealed, Instant now) {
        return jdbc.write("put a secret", c -> {
            if (Jdbc.update(c, insert, account, name, description, sealed, now, now) > 0) {
                return true;
            }
            Jdbc.update(c, UPDATE, description, sealed, now, account, name);
            return false;
        });
    }

    @Override
    public Optional<StoredSecret> findSecret(String account, String name) {
        return jdbc.read("find a secret", c -> Jdbc.queryOne(c, FIND, JdbcSecrets::secret, account, name));
    }

    @Override
    public List<StoredSecret> listSecrets(String account, String afterName, int limit) {
        return jdbc.read("list secrets", c -> Jdbc.query(c, PAGE, JdbcSecrets::secret, account,
                afterName == null ? "" : afterName, limit));
    }

    @Override
    public boolean deleteSecret(String account, String name) {
        return jdbc.write("delete a secret", c -> Jdbc.update(c, DELETE, account, name) > 0);
    }

    private static StoredSecret secret(ResultSet rs) throws SQLException {
        return new StoredSecret(rs.getString("account"), rs.getString("name"), rs.getString("description"),
                rs.getBytes("sealed"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
