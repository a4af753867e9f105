package io.wharf.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A dispatch round over several subscribers on a real (in-memory) outbox: each batch is read once for all of them,
 * each gets every event once and in order, and one that fails is left behind alone and catches up the next round.
 */
class EventDispatcherTest {
    private static final String ACCOUNT = "123456789012";
    private static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");
    private static final int BATCH = 4;

    private final MetadataStore store = new InMemoryMetadataStore();
    private final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void eachBatchIsReadOnceForAllSubscribersAndEachGetsEveryEventInOrder() {
        Recorder a = new Recorder("a", 0);
        Recorder b = new Recorder("b", 0);
        Recorder c = new Recorder("c", 0);
        EventDispatcher dispatcher = dispatcher(List.of(a, b, c));
        emit(10);
        reads.set(0);

        assertThat(dispatcher.dispatch()).isEqualTo(30);
        assertThat(reads).as("three batches of 4, 4 and 2 and the empty read that ends the round, not three times that")
                .hasValue(4);
        for (Recorder r : List.of(a, b, c)) {
            assertThat(r.seen).as(r.name).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        }
    }

    @Test
    void aFailingSubscriberIsLeftBehindAloneAndCatchesUpNextRound() {
        Recorder steady = new Recorder("steady", 0);
        Recorder flaky = new Recorder("flaky", 2); // fails on its second batch, once
        EventDispatcher dispatcher = dispatcher(List.of(flaky, steady));
        emit(10);

        assertThat(dispatcher.dispatch()).as("steady's 10 and flaky's first batch").isEqualTo(14);
        assertThat(steady.seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(flaky.seen).containsExactly(1L, 2L, 3L, 4L);
        assertThat(store.cursor("flaky")).hasValue(4);

        assertThat(dispatcher.dispatch()).isEqualTo(6);
        assertThat(flaky.seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(steady.seen).as("nothing twice").hasSize(10);
        assertThat(store.cursor("steady")).hasValue(10);
        assertThat(dispatcher.dispatch()).isZero();
    }

    @Test
    void aSubscriberBehindTheOthersGetsOnlyWhatItHasNotHad() {
        Recorder ahead = new Recorder("ahead", 0);
        EventDispatcher first = dispatcher(List.of(ahead));
        emit(6);
        first.dispatch();
        store.saveCursor("behind", 2); // as a subscriber that stopped at event 2 left it

        Recorder again = new Recorder("ahead", 0);
        Recorder behind = new Recorder("behind", 0);
        emit(3);
        assertThat(dispatcher(List.of(again, behind)).dispatch()).isEqualTo(3 + 7);
        assertThat(again.seen).containsExactly(7L, 8L, 9L);
        assertThat(behind.seen).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    private EventDispatcher dispatcher(List<EventSubscriber> subscribers) {
        EventDispatcher d = new EventDispatcher(new CountingLog(), subscribers,
                new EventDispatcher.Settings(Duration.ofSeconds(1), Duration.ofDays(1), BATCH), Clock.systemUTC());
        subscribers.forEach(s -> {
            if (store.cursor(s.name()).isEmpty()) {
                store.saveCursor(s.name(), store.lastSequence()); // as start() registers them: at the newest event
            }
        });
        return d;
    }

    private void emit(int n) {
        for (int i = 0; i < n; i++) {
            RepositoryName name = new RepositoryName("team/r" + i + "-" + store.lastSequence());
            store.inTransaction("create", unit -> {
                unit.emit(new RegistryEvent.RepositoryCreated(ACCOUNT, name), T0);
                return null;
            });
        }
    }

    /** Records the sequence numbers it is handed; throws once on its {@code failOn}-th batch (0: never). */
    private static final class Recorder implements EventSubscriber {
        final String name;
        final List<Long> seen = new ArrayList<>();
        private final int failOn;
        private int batches;

        Recorder(String name, int failOn) {
            this.name = name;
            this.failOn = failOn;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void handle(List<StoredEvent> batch) {
            assertThat(batch).hasSizeLessThanOrEqualTo(BATCH);
            if (++batches == failOn) {
                throw new IllegalStateException("injected failure");
            }
            batch.forEach(e -> seen.add(e.sequence()));
        }
    }

    /** The store's outbox, counting its reads. */
    private final class CountingLog implements io.wharf.core.spi.EventLog {
        @Override
        public List<StoredEvent> eventsAfter(long sequence, int limit) {
            reads.incrementAndGet();
            return store.eventsAfter(sequence, limit);
        }

        @Override
        public long lastSequence() {
            return store.lastSequence();
        }

        @Override
        public java.util.OptionalLong cursor(String subscriber) {
            return store.cursor(subscriber);
        }

        @Override
        public boolean saveCursor(String subscriber, long sequence) {
            return store.saveCursor(subscriber, sequence);
        }

        @Override
        public int deleteEvents(Instant before, long upTo, int limit) {
            return store.deleteEvents(before, upTo, limit);
        }

        @Override
        public void onEventsWritten(Runnable listener) {
            store.onEventsWritten(listener);
        }
    }
}
