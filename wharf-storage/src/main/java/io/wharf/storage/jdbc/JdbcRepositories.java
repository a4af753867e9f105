package io.wharf.storage.jdbc;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.RepositoryIndex;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link RepositoryIndex} over the {@code repository} table. */
final class JdbcRepositories implements RepositoryIndex {

    private static final String FIND = "SELECT id, account, name, created_at FROM repository WHERE account = ? AND name = ?";
    private static final String LIST = "SELECT name FROM repository WHERE account = ? AND name > ? ORDER BY name LIMIT ?";

    private final Jdbc jdbc;
    private final String insert;

    JdbcRepositories(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.insert = dialect.insertIgnore("repository", List.of("account", "name", "created_at"), List.of("account", "name"));
    }

    @Override
    public Optional<Repository> findRepository(String account, RepositoryName name) {
        return jdbc.read("find repository", c -> find(c, account, name));
    }

    /** Insert-if-absent then read back, in one transaction: concurrent callers all get the one row. */
    @Override
    public Repository createRepository(String account, RepositoryName name, Instant now) {
        return jdbc.write("create repository", c -> {
            Jdbc.update(c, insert, account, name, now);
            return find(c, account, name).orElseThrow();
        });
    }

    @Override
    public List<RepositoryName> listRepositories(String account, RepositoryName after, int limit) {
        // every valid name sorts after "", so one statement serves the first page too
        String from = after == null ? "" : after.value();
        return jdbc.read("list repositories", c ->
                Jdbc.query(c, LIST, rs -> new RepositoryName(rs.getString("name")), account, from, Math.max(limit, 0)));
    }

    private static Optional<Repository> find(Connection c, String account, RepositoryName name) throws SQLException {
        return Jdbc.queryOne(c, FIND, rs -> new Repository(rs.getLong("id"), rs.getString("account"),
                new RepositoryName(rs.getString("name")), Jdbc.instant(rs, "created_at")), account, name);
    }
}
