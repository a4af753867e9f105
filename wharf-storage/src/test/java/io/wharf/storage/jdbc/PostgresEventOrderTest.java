package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.MetadataStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A dispatcher that reads the outbox past its cursor, as {@code EventDispatcher} does, while many transactions
 * emit at once on real PostgreSQL: it must see every event. Sequence numbers are taken when the row is inserted
 * and become visible at commit; were those in different orders, the reader would step past a number that
 * commits later and never read it.
 */
@Tag("postgres")
class PostgresEventOrderTest {
    private static final int WRITERS = 8;
    private static final int EVENTS_PER_WRITER = 40;

    private final MetadataStore store = PostgresServer.newStore();
    private final ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 1);

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        store.close();
    }

    @Test
    void aReaderPastItsCursorMissesNoEventOfConcurrentWriters() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        Future<Set<Long>> reader = threads.submit(() -> readUntil(writing));
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(threads.submit(() -> emit(writer)));
        }
        for (Future<?> f : writers) {
            f.get();
        }
        writing.set(false);
        Set<Long> seen = reader.get();
        List<Long> all = store.eventsAfter(0, 10_000).stream().map(StoredEvent::sequence).toList();
        assertThat(all).hasSize(WRITERS * EVENTS_PER_WRITER);
        assertThat(seen).as("events the reader stepped over").containsExactlyInAnyOrderElementsOf(all);
    }

    /** Each event in its own transaction, which lingers a moment after taking its number. */
    private void emit(int writer) {
        for (int i = 0; i < EVENTS_PER_WRITER; i++) {
            RepositoryName name = RepositoryName.parse("w" + writer + "/e" + i);
            store.inTransaction("emit", unit -> {
                unit.emit(new RegistryEvent.RepositoryCreated("123456789012", name), Instant.now());
                pause(ThreadLocalRandom.current().nextInt(3));
                return null;
            });
        }
    }

    /** Reads as a dispatcher does: from its cursor on, moving the cursor to the last event read. */
    private Set<Long> readUntil(AtomicBoolean writing) {
        Set<Long> seen = new HashSet<>();
        long cursor = 0;
        while (true) {
            boolean done = !writing.get(); // every event has committed: read to the end once more
            List<StoredEvent> page = store.eventsAfter(cursor, 100);
            if (page.isEmpty() && done) {
                return seen;
            }
            for (StoredEvent e : page) {
                seen.add(e.sequence());
                cursor = e.sequence();
            }
        }
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
