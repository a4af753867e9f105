package io.wharf.storage.jdbc;

import static io.wharf.core.spi.TestManifests.blobDigest;
import static io.wharf.core.spi.TestManifests.configOf;
import static io.wharf.core.spi.TestManifests.image;
import static io.wharf.core.spi.TestManifests.index;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.MetadataStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest extends MetadataStoreContract {

    @TempDir
    Path dataDir;

    @Override
    protected MetadataStore createStore() {
        return SqliteMetadataStore.open(dataDir);
    }

    private Jdbc jdbc() {
        return ((JdbcMetadataStore) store).jdbc();
    }

    /** A restart migrates nothing, and the version it logs is still the schema's, not null. */
    @Test
    void migratingAnUpToDateSchemaReportsItsVersion(@TempDir Path other) {
        org.sqlite.SQLiteDataSource db = new org.sqlite.SQLiteDataSource();
        db.setUrl("jdbc:sqlite:" + other.resolve("m.db"));
        String fresh = JdbcMetadataStore.migrate(SqliteDialect.INSTANCE, db);
        assertThat(fresh).isNotNull().matches("[0-9]+(\\.[0-9]+)*");
        assertThat(JdbcMetadataStore.migrate(SqliteDialect.INSTANCE, db)).isEqualTo(fresh);
    }

    @Test
    void connectionsAreConfiguredForDurabilityAndIntegrity() {
        assertThat(pragma(true, "journal_mode")).isEqualTo("wal");
        assertThat(pragma(true, "synchronous")).isEqualTo("2"); // FULL
        assertThat(pragma(true, "foreign_keys")).isEqualTo("1");
        assertThat(pragma(false, "foreign_keys")).isEqualTo("1");
        assertThat(pragma(false, "query_only")).isEqualTo("1");
        assertThat(pragma(false, "busy_timeout")).isEqualTo("10000");
        assertThat(dataDir.resolve(SqliteMetadataStore.FILE_NAME)).isRegularFile();
    }

    @Test
    void referencesAreStoredOncePerChildAndDeletedWithTheManifest() {
        Manifest m = image("m", List.of(blobDigest("l1"), blobDigest("l2"), blobDigest("l1")));
        store.putManifest(repo, m, null, at(1));
        store.putManifest(repo, m, null, at(2));
        assertThat(references(m.digest())).containsExactlyInAnyOrder(
                "blob:" + configOf("m"), "blob:" + blobDigest("l1"), "blob:" + blobDigest("l2"));
        store.deleteManifest(repo, m.digest());
        assertThat(references(m.digest())).isEmpty();
    }

    @Test
    void indexChildrenAreStoredAsManifestReferences() {
        Manifest child = image("child", List.of());
        Manifest idx = index(List.of(child));
        store.putManifest(repo, child, null, at(1));
        store.putManifest(repo, idx, null, at(1));
        assertThat(references(idx.digest())).containsExactly("manifest:" + child.digest());
    }

    @Test
    void withoutTheServerLockNothingIsCachedSoAnotherWritersChangesShow() {
        Manifest m = image("elsewhere", List.of());
        assertThat(store.resolveTag(repo, tag("t"))).isEmpty();
        try (MetadataStore other = SqliteMetadataStore.open(dataDir)) { // as a second process would
            other.putManifest(repo, m, tag("t"), at(1));
        }
        assertThat(store.resolveTag(repo, tag("t"))).contains(m.digest());
    }

    @Test
    void dataSurvivesReopening() {
        Manifest m = image("durable", List.of());
        store.putManifest(repo, m, tag("keep"), at(1));
        store.close();
        store = SqliteMetadataStore.open(dataDir);
        assertThat(store.resolveTag(repo, tag("keep"))).contains(m.digest());
        assertThat(store.findManifest(repo, m.digest()).orElseThrow().content()).isEqualTo(m.content());
    }

    @Test
    void manyConcurrentWritersNeverSeeBusyErrors() throws Exception {
        int threads = 8;
        int perThread = 100;
        long started = System.nanoTime();
        concurrently(threads, t -> () -> {
            for (int i = 0; i < perThread; i++) {
                Digest layer = blobDigest("busy-" + t + "-" + i);
                store.addBlob(repo, layer, i, at(i));
                store.putManifest(repo, image("busy-" + t + "-" + i, List.of(layer)), tag("b" + t + "-" + i), at(i));
                store.listTags(repo, null, 50);
            }
            return null;
        });
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("%d writes by %d threads in %d ms%n", 2 * threads * perThread, threads, millis);
        assertThat(store.listTags(repo, null, 10_000)).hasSize(threads * perThread);
    }

    @Test
    void virtualThreadWritersNeverSeeBusyErrors() throws Exception {
        int tasks = 64;
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < tasks; t++) {
                int task = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        store.putManifest(repo, image("vt-" + task + "-" + i, List.of()), tag("vt" + task + "-" + i), at(i));
                        store.resolveTag(repo, tag("vt" + task + "-" + i)).orElseThrow();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(store.listTags(repo, null, 10_000)).hasSize(tasks * 20);
    }

    private List<String> references(Digest parent) {
        return jdbc().read("refs", c -> Jdbc.query(c,
                "SELECT kind, child_digest FROM manifest_ref WHERE repository_id = ? AND parent_digest = ?",
                rs -> rs.getString("kind") + ":" + rs.getString("child_digest"), repo, parent));
    }

    private String pragma(boolean writer, String name) {
        Jdbc.Work<String> work = c -> Jdbc.queryOne(c, "PRAGMA " + name, rs -> rs.getString(1)).orElseThrow();
        return writer ? jdbc().write(name, work) : jdbc().read(name, work);
    }
}
