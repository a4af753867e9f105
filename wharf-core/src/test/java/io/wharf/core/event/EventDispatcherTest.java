package io.wharf.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A dispatch round over several subscribers on a real (in-memory) outbox: each batch is read once for all of them,
 * each gets every event once and in order, and one that fails is left behind alone and catches up the next round.
 * A subscriber on its own thread that blocks holds up no other, and keeps the events it has not handled from the sweep.
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

    @Test
    void aSubscriberOnItsOwnThreadThatBlocksDoesNotHoldUpTheOthers() throws InterruptedException {
        Gate hook = new Gate("hook", 1);
        Recorder scan = new Recorder("scan", 0);
        EventDispatcher dispatcher = dispatcher(List.of(hook, scan)); // hook first: on one thread, scan would wait behind it
        try {
            dispatcher.start();
            emit(10);

            assertThat(hook.blocked.await(5, TimeUnit.SECONDS)).as("hook is handed its first batch").isTrue();
            awaitSeen(scan, 10);
            assertThat(scan.seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(hook.seen).as("still blocked").isEmpty();

            hook.open.countDown();
            awaitSeen(hook, 10);
            assertThat(hook.seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(scan.seen).as("nothing twice").hasSize(10);
        } finally {
            hook.open.countDown();
            dispatcher.close();
        }
    }

    @Test
    void theSweepKeepsWhatABlockedSubscriberOnItsOwnThreadHasNotHandled() throws InterruptedException {
        Gate hook = new Gate("hook", 2); // handles events 1..4, then blocks on 5..8
        Recorder scan = new Recorder("scan", 0);
        Clock later = Clock.fixed(T0.plus(Duration.ofDays(2)), java.time.ZoneOffset.UTC); // every event past retention
        EventDispatcher dispatcher = dispatcher(List.of(scan, hook), later);
        emit(10);
        try {
            dispatcher.start(); // its lanes sweep too, when they like: what is left is what counts
            assertThat(hook.blocked.await(5, TimeUnit.SECONDS)).isTrue();
            awaitSeen(scan, 10);
            awaitCursor("hook", 4);

            dispatcher.sweep();
            assertThat(store.eventsAfter(0, 100)).as("scan handled all ten, hook only the first four")
                    .extracting(StoredEvent::sequence).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);

            hook.open.countDown();
            awaitSeen(hook, 10);
            assertThat(hook.seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            awaitCursor("hook", 10);
            assertThat(dispatcher.sweep()).isEqualTo(6);
            assertThat(store.eventsAfter(0, 100)).isEmpty();
        } finally {
            hook.open.countDown();
            dispatcher.close();
        }
    }

    @Test
    void aLaneWokenByACommitWaitsItsSubscribersCoalescingTimeSoOneRoundTakesTheCommitsThatFollow() throws InterruptedException {
        List<List<Long>> batches = new CopyOnWriteArrayList<>();
        Recorder slow = new Recorder("slow", 0) {
            @Override
            public boolean ownThread() {
                return true;
            }

            @Override
            public long coalesceMillis() {
                return 1_000;
            }

            @Override
            public void handle(List<StoredEvent> batch) {
                batches.add(batch.stream().map(StoredEvent::sequence).toList());
                super.handle(batch);
            }
        };
        EventDispatcher dispatcher = dispatcher(List.of(slow));
        try {
            dispatcher.start();
            Thread.sleep(200); // the lane's first round, at its start, finds nothing
            for (int i = 0; i < 3; i++) { // three commits 50 ms apart: with the usual 5 ms, three rounds
                emit(1);
                Thread.sleep(50);
            }
            awaitSeen(slow, 3);
            assertThat(batches).as("one round, a second after the first commit").containsExactly(List.of(1L, 2L, 3L));
        } finally {
            dispatcher.close();
        }
    }

    private EventDispatcher dispatcher(List<EventSubscriber> subscribers) {
        return dispatcher(subscribers, Clock.systemUTC());
    }

    private EventDispatcher dispatcher(List<EventSubscriber> subscribers, Clock clock) {
        EventDispatcher d = new EventDispatcher(new CountingLog(), subscribers,
                new EventDispatcher.Settings(Duration.ofSeconds(1), Duration.ofDays(1), BATCH), clock);
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

    private static void awaitSeen(Recorder r, int events) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (r.seen.size() < events && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** The stored cursor moves just after the subscriber returns: wait for it, as the sweep reads it. */
    private void awaitCursor(String subscriber, long sequence) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (store.cursor(subscriber).orElse(0) < sequence && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.cursor(subscriber)).as(subscriber).hasValue(sequence);
    }

    /** Records the sequence numbers it is handed; throws once on its {@code failOn}-th batch (0: never). */
    private static class Recorder implements EventSubscriber {
        final String name;
        final List<Long> seen = new CopyOnWriteArrayList<>(); // read by the test while a lane's thread adds
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

    /** On its own thread, as a webhook: waits on its {@code blockOn}-th batch until {@link #open} (as a slow receiver). */
    private static final class Gate extends Recorder {
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        private final int blockOn;
        private int calls;

        Gate(String name, int blockOn) {
            super(name, 0);
            this.blockOn = blockOn;
        }

        @Override
        public boolean ownThread() {
            return true;
        }

        @Override
        public void handle(List<StoredEvent> batch) {
            if (++calls == blockOn) {
                blocked.countDown();
                try {
                    open.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("closed while blocked", e);
                }
            }
            super.handle(batch);
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
        public boolean holdCursor(String subscriber, String holder, Instant now, Instant until) {
            return store.holdCursor(subscriber, holder, now, until);
        }

        @Override
        public void releaseCursor(String subscriber, String holder) {
            store.releaseCursor(subscriber, holder);
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
