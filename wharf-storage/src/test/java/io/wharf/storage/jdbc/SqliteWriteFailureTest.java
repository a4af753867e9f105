package io.wharf.storage.jdbc;

import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.error.StorageFullException;
import io.wharf.core.memory.InMemoryBlobStore;
import io.wharf.core.memory.InMemoryUploadStore;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.model.Tag;
import io.wharf.core.service.Registry;
import io.wharf.core.service.RegistryLimits;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.TagOutcome;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite refusing a write (SQLITE_FULL, from {@code max_page_count} on the one writer connection; the
 * server tests use a real full disk): the write keeps nothing, answers a storage-full error, and the
 * writer goes on running real transactions. Before, SQLite's own rollback left the driver believing it
 * was still in a transaction, and every later write was committed statement by statement while it
 * answered "cannot commit - no transaction is active".
 */
class SqliteWriteFailureTest {
    private static final String ACCOUNT = "000000000000";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void aRefusedWriteKeepsNothingAndLaterWritesAreWholeTransactionsAgain() throws Exception {
        try (JdbcMetadataStore store = SqliteMetadataStore.openExclusive(dataDir)) {
            long repo = store.createRepository(ACCOUNT, RepositoryName.parse("app"), NOW).id();
            setMaxPages(store, "(SELECT page_count FROM pragma_page_count())");

            Manifest refused = null;
            for (int i = 0; i < 10_000 && refused == null; i++) {
                Manifest m = image("m" + i + "-".repeat(2000), List.of());
                try {
                    store.putManifest(repo, m, new Tag("t" + i), NOW, true);
                } catch (StorageFullException e) {
                    assertThat(e).hasMessageStartingWith("storage full");
                    refused = m;
                }
            }
            assertThat(refused).as("the capped database refused a write").isNotNull();
            assertThat(store.findManifest(repo, refused.digest())).isEmpty();

            setMaxPages(store, "1000000000");
            Manifest next = image("after", List.of());
            assertThat(store.putManifest(repo, next, new Tag("after"), NOW, true)).isEqualTo(TagOutcome.CREATED);
            assertThat(store.findManifest(repo, next.digest())).isPresent();
            assertThat(store.resolveTag(repo, new Tag("after"))).contains(next.digest());
            assertThat(store.deleteManifest(repo, next.digest())).isTrue();
            assertThat(store.findManifest(repo, next.digest())).isEmpty();
            assertThat(store.isHealthy()).isTrue();
        }
    }

    /** A repository is never left without the resource tags it was created with (they were two transactions). */
    @Test
    void aRepositoryWhoseTagsCannotBeWrittenIsNotCreated() throws Exception {
        try (JdbcMetadataStore store = SqliteMetadataStore.openExclusive(dataDir)) {
            store.jdbc().write("refuse resource tags", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.repository_tag BEGIN SELECT RAISE(FAIL, 'refused'); END");
                }
                return null;
            });
            InMemoryBlobStore blobs = new InMemoryBlobStore();
            Registry registry = new Registry(store, blobs, new InMemoryUploadStore(blobs), RegistryLimits.defaults(),
                    Clock.systemUTC());
            RepoKey key = new RepoKey(ACCOUNT, RepositoryName.parse("tagged"));

            assertThatThrownBy(() -> registry.repositories().create(key, RepositorySettings.DEFAULTS, Map.of("env", "prod")))
                    .isInstanceOf(MetadataStoreException.class);
            assertThat(store.findRepository(ACCOUNT, RepositoryName.parse("tagged"))).isEmpty();
        }
    }

    /** {@code max_page_count} belongs to the connection: set it on the writer, through a write. */
    private static void setMaxPages(JdbcMetadataStore store, String pages) {
        store.jdbc().write("cap the database", c -> {
            try (Statement s = c.createStatement()) {
                long value = pages.startsWith("(") ? query(s, "SELECT " + pages) : Long.parseLong(pages);
                s.execute("PRAGMA max_page_count = " + value);
            }
            return null;
        });
    }

    private static long query(Statement s, String sql) throws java.sql.SQLException {
        try (var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
