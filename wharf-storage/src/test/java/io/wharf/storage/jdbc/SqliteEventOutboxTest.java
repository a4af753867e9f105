package io.wharf.storage.jdbc;

import static io.wharf.core.spi.TestManifests.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.event.EventDispatcher;
import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.model.Manifest;
import io.wharf.core.spi.EventOutboxContract;
import io.wharf.core.spi.MetadataStore;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox in real SQLite: one transaction with the change it describes, and cursors that survive a restart. */
class SqliteEventOutboxTest extends EventOutboxContract {
    @TempDir
    Path dataDir;

    @Override
    protected MetadataStore createStore() {
        return SqliteMetadataStore.open(dataDir);
    }

    @Test
    void aChangeWhoseEventCannotBeWrittenIsNotWrittenEither() {
        failInsertsInto("event_outbox");
        Manifest m = image("m", List.of());
        assertThatThrownBy(() -> putWithEvent(m)).hasRootCauseMessage(rootCause());
        assertThat(store.findManifest(repo, m.digest())).isEmpty();
        assertThat(store.resolveTag(repo, tag("v1"))).isEmpty();
    }

    @Test
    void anEventWhoseChangeFailsIsNotWrittenEither() {
        failInsertsInto("tag");
        Manifest m = image("m", List.of());
        assertThatThrownBy(() -> putWithEvent(m)).hasRootCauseMessage(rootCause());
        assertThat(store.findManifest(repo, m.digest())).isEmpty();
        assertThat(store.eventsAfter(0, 10)).isEmpty();
    }

    @Test
    void afterARestartTheDispatcherGoesOnFromTheStoredCursor() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        int[] batches = {0};
        EventDispatcher first = dispatcher(List.of(subscriber("hooks", batch -> {
            if (++batches[0] == 3) {
                throw new IllegalStateException("killed while handling the third batch");
            }
            batch.forEach(e -> seen.add(tagOf(e)));
        })), 2);
        first.dispatch();
        for (int i = 1; i <= 5; i++) {
            emit(pushed("library/app", "t" + i), i);
        }
        assertThat(first.dispatch()).isEqualTo(4);
        store.close();

        store = SqliteMetadataStore.open(dataDir);
        EventDispatcher second = dispatcher(List.of(subscriber("hooks", batch -> batch.forEach(e -> seen.add(tagOf(e))))), 2);
        emit(pushed("library/app", "t6"), 6);
        assertThat(second.dispatch()).isEqualTo(2);
        assertThat(seen).containsExactly("t1", "t2", "t3", "t4", "t5", "t6");
    }

    private static String tagOf(StoredEvent e) {
        return ((ImagePushed) e.event()).tag().value();
    }

    private void putWithEvent(Manifest m) {
        store.inTransaction("push", unit -> {
            unit.putManifest(repo, m, tag("v1"), at(1));
            unit.emit(new ImagePushed(ACCOUNT, name("library/app"), m.digest(), m.mediaType(), tag("v1")), at(1));
            return null;
        });
    }

    private static String rootCause() {
        return "[SQLITE_CONSTRAINT_TRIGGER] A RAISE function within a trigger fired, causing the SQL statement to abort"
                + " (injected failure)";
    }

    private void failInsertsInto(String table) {
        ((JdbcMetadataStore) store).jdbc().write("inject a failure", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMP TRIGGER fail_" + table + " BEFORE INSERT ON " + table
                        + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
            }
            return null;
        });
    }
}
