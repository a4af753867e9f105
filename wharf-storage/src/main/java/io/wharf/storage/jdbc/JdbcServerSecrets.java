package io.wharf.storage.jdbc;

import java.time.Instant;
import java.util.List;

/**
 * Secrets all nodes of a deployment share, kept in the metadata database ({@code server_secret}): each is
 * created once, by whichever node needs it first, and read by every other. The caller seals them: the
 * database only ever holds sealed bytes.
 */
public final class JdbcServerSecrets {
    private static final String INSERT_COLUMNS = "name, sealed, created_at";

    private final Jdbc jdbc;

    private JdbcServerSecrets(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The secrets in the same database as {@code metadata}; closing {@code metadata} closes both. */
    public static JdbcServerSecrets sharing(JdbcMetadataStore metadata) {
        return new JdbcServerSecrets(metadata.jdbc());
    }

    /**
     * The sealed secret named {@code name}: the stored one, or {@code candidate}, stored now when there was none.
     * Of nodes creating it at the same time, one insert wins and every node gets its value (a concurrent
     * insert waits for the winner's commit, then reads its row).
     */
    public byte[] getOrCreate(String name, byte[] candidate, Instant now) {
        SqlDialect dialect = jdbc.dialect();
        String insert = dialect.insertIgnore("server_secret", List.of(INSERT_COLUMNS.split(", ")), List.of("name"));
        return jdbc.writeUncached("create the shared secret " + name, c -> {
            Jdbc.update(c, insert, name, candidate, now);
            return Jdbc.queryOne(c, "SELECT sealed FROM server_secret WHERE name = ?", rs -> rs.getBytes("sealed"), name)
                    .orElseThrow(() -> new IllegalStateException("the shared secret " + name + " vanished"));
        });
    }
}
