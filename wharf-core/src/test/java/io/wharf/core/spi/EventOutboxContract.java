package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.event.EventDispatcher;
import io.wharf.core.event.EventSubscriber;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.RegistryEvent.ImageDeleted;
import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.event.RegistryEvent.RepositoryCreated;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.model.Digest;
import io.wharf.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The event outbox of every metadata backend: order, atomicity with the unit of work, cursors, retention. */
public abstract class EventOutboxContract extends MetadataStoreFixture {

    protected static final Digest D1 = TestManifests.blobDigest("d1");

    protected static RegistryEvent pushed(String repository, String tag) {
        return new ImagePushed(ACCOUNT, name(repository), D1, "application/vnd.oci.image.manifest.v1+json", tag(tag));
    }

    protected void emit(RegistryEvent event, long second) {
        store.inTransaction("test", unit -> {
            unit.emit(event, at(second));
            return null;
        });
    }

    @Test
    void eventsReadBackInSequenceOrderWithTheirPayloadAndTime() {
        RegistryEvent a = new RepositoryCreated(ACCOUNT, name("library/app"));
        RegistryEvent b = pushed("library/app", "v1");
        RegistryEvent c = new ImageDeleted(ACCOUNT, name("library/app"), D1, List.of(tag("v1"), tag("v2")));
        emit(a, 1);
        store.inTransaction("two", unit -> {
            unit.emit(b, at(2));
            unit.emit(c, at(3));
            return null;
        });
        List<StoredEvent> all = store.eventsAfter(0, 10);
        assertThat(all).extracting(StoredEvent::event).containsExactly(a, b, c);
        assertThat(all).extracting(StoredEvent::at).containsExactly(at(1), at(2), at(3));
        assertThat(all.get(1).sequence()).isGreaterThan(all.get(0).sequence());
        assertThat(all.get(2).sequence()).isGreaterThan(all.get(1).sequence());
        assertThat(store.eventsAfter(all.get(0).sequence(), 1)).extracting(StoredEvent::event).containsExactly(b);
        assertThat(store.lastSequence()).isEqualTo(all.get(2).sequence());
    }

    @Test
    void aUnitOfWorkThatFailsLeavesNoEvent() {
        emit(pushed("library/app", "before"), 1);
        assertThatThrownBy(() -> store.inTransaction("fails", unit -> {
            unit.emit(pushed("library/app", "lost"), at(2));
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        emit(pushed("library/app", "after"), 3);
        assertThat(store.eventsAfter(0, 10)).extracting(e -> ((ImagePushed) e.event()).tag().value())
                .containsExactly("before", "after");
    }

    @Test
    void cursorsAreStoredPerSubscriber() {
        assertThat(store.cursor("log")).isEmpty();
        store.saveCursor("log", 7);
        store.saveCursor("hooks", 3);
        store.saveCursor("log", 9);
        assertThat(store.cursor("log")).hasValue(9);
        assertThat(store.cursor("hooks")).hasValue(3);
    }

    /** Nodes share cursors: one that saves an older position (it delivered a batch late) cannot move it back. */
    @Test
    void aCursorOnlyMovesForward() {
        assertThat(store.saveCursor("log", 9)).isTrue();
        assertThat(store.saveCursor("log", 7)).isFalse();
        assertThat(store.saveCursor("log", 9)).isFalse();
        assertThat(store.cursor("log")).hasValue(9);
        assertThat(store.saveCursor("log", 12)).isTrue();
        assertThat(store.cursor("log")).hasValue(12);
    }

    /** A cluster node's hold on a cursor: one holder at a time, renewed by it, taken over once expired or released. */
    @Test
    void aCursorIsHeldByOneHolderAtATimeUntilItsHoldExpiresOrIsReleased() {
        assertThat(store.holdCursor("hooks", "n1", at(0), at(30))).as("no such cursor yet").isFalse();
        store.saveCursor("hooks", 5);
        assertThat(store.holdCursor("hooks", "n1", at(0), at(30))).isTrue();
        assertThat(store.holdCursor("hooks", "n2", at(10), at(40))).as("n1 holds it").isFalse();
        assertThat(store.holdCursor("hooks", "n1", at(10), at(40))).as("n1 renews").isTrue();
        assertThat(store.holdCursor("hooks", "n2", at(35), at(65))).as("n1's renewal runs to 40").isFalse();
        assertThat(store.holdCursor("hooks", "n2", at(41), at(71))).as("expired: taken over").isTrue();
        assertThat(store.holdCursor("hooks", "n1", at(42), at(72))).isFalse();
        store.releaseCursor("hooks", "n1"); // not n1's: nothing changes
        assertThat(store.holdCursor("hooks", "n1", at(43), at(73))).isFalse();
        store.releaseCursor("hooks", "n2");
        assertThat(store.holdCursor("hooks", "n1", at(44), at(74))).as("released: taken at once").isTrue();

        store.saveCursor("scan", 1);
        assertThat(store.holdCursor("scan", "n2", at(45), at(75))).as("each cursor is held on its own").isTrue();
        assertThat(store.saveCursor("hooks", 9)).as("a hold changes nothing about the cursor").isTrue();
        assertThat(store.cursor("hooks")).hasValue(9);
        assertThat(store.holdCursor("hooks", "n2", at(46), at(76))).as("nor does saving the cursor change the hold").isFalse();
    }

    /**
     * Two cluster nodes' dispatchers over one outbox, each with a subscriber on a lane of its own (as webhooks): only the
     * node holding the cursor hands its events out, so none goes out twice; the other takes over once the hold expired
     * (its holder died) or was released (its holder closed).
     */
    @Test
    void aLaneOfItsOwnIsRunOnlyByTheNodeHoldingItsCursor() {
        ManualClock clock = new ManualClock();
        List<StoredEvent> onA = new CopyOnWriteArrayList<>();
        List<StoredEvent> onB = new CopyOnWriteArrayList<>();
        EventDispatcher a = held(ownThread("hooks", onA::addAll), "node-a", clock);
        EventDispatcher b = held(ownThread("hooks", onB::addAll), "node-b", clock);
        a.dispatch(); // registers the cursor at the head, and holds it for 30 s
        for (int i = 1; i <= 3; i++) {
            emit(pushed("library/app", "t" + i), i);
        }
        assertThat(b.dispatch()).as("node-a holds it").isZero();
        assertThat(a.dispatch()).isEqualTo(3);
        emit(pushed("library/app", "t4"), 4);
        clock.advance(Duration.ofSeconds(20));
        assertThat(b.dispatch()).as("node-a's hold runs to 30 s").isZero();
        clock.advance(Duration.ofSeconds(11)); // node-a never renewed: as a node that died
        assertThat(b.dispatch()).isEqualTo(1);
        assertThat(a.dispatch()).as("node-b holds it now").isZero();

        b.close(); // releases its hold
        emit(pushed("library/app", "t5"), 5);
        clock.advance(Duration.ofMillis(50)); // node-a asks again after its poll interval
        assertThat(a.dispatch()).isEqualTo(1);
        assertThat(onA).extracting(e -> ((ImagePushed) e.event()).tag().value()).containsExactly("t1", "t2", "t3", "t5");
        assertThat(onB).extracting(e -> ((ImagePushed) e.event()).tag().value()).containsExactly("t4");
    }

    private EventDispatcher held(EventSubscriber subscriber, String node, ManualClock clock) {
        return new EventDispatcher(store, List.of(subscriber), new EventDispatcher.Settings(Duration.ofMillis(50),
                Duration.ofDays(7), 10), new EventDispatcher.Hold(node, Duration.ofSeconds(30)), clock);
    }

    @Test
    void retentionDeletesOnlyOldEventsUpToTheGivenSequence() {
        for (int i = 1; i <= 5; i++) {
            emit(pushed("library/app", "t" + i), i);
        }
        List<StoredEvent> all = store.eventsAfter(0, 10);
        // written before second 4 and handled (up to the third): three events, at most two per call
        assertThat(store.deleteEvents(at(4), all.get(2).sequence(), 2)).isEqualTo(2);
        assertThat(store.deleteEvents(at(4), all.get(2).sequence(), 2)).isEqualTo(1);
        assertThat(store.deleteEvents(at(4), all.get(2).sequence(), 2)).isZero();
        assertThat(store.eventsAfter(0, 10)).containsExactlyElementsOf(all.subList(3, 5));
        assertThat(store.deleteEvents(at(100), Long.MAX_VALUE, 10)).isEqualTo(2);
        assertThat(store.lastSequence()).isZero();
    }

    @Test
    void theDispatcherHandsOutEveryEventInOrderAndRetriesAFailedBatch() {
        List<StoredEvent> seen = new CopyOnWriteArrayList<>();
        boolean[] failOnce = {true};
        EventSubscriber flaky = subscriber("flaky", batch -> {
            if (failOnce[0]) {
                failOnce[0] = false;
                throw new IllegalStateException("down");
            }
            seen.addAll(batch);
        });
        EventDispatcher dispatcher = dispatcher(List.of(flaky), 2);
        dispatcher.dispatch(); // registers the subscriber at the head: nothing old is replayed
        for (int i = 1; i <= 5; i++) {
            emit(pushed(i % 2 == 0 ? "library/app" : "library/other", "t" + i), i);
        }
        assertThat(dispatcher.dispatch()).isZero(); // the first batch failed: cursor stays
        assertThat(dispatcher.dispatch()).isEqualTo(5);
        assertThat(seen).extracting(e -> ((ImagePushed) e.event()).tag().value()).containsExactly("t1", "t2", "t3", "t4", "t5");
        assertThat(store.cursor("flaky")).hasValue(seen.getLast().sequence());
        assertThat(dispatcher.dispatch()).isZero();
    }

    /** Two nodes' dispatchers over one outbox: what one delivered, the other does not deliver again. */
    @Test
    void dispatchersOfTwoNodesShareTheSubscribersCursor() {
        List<StoredEvent> onA = new CopyOnWriteArrayList<>();
        List<StoredEvent> onB = new CopyOnWriteArrayList<>();
        EventDispatcher a = dispatcher(List.of(subscriber("hooks", onA::addAll)), 2);
        EventDispatcher b = dispatcher(List.of(subscriber("hooks", onB::addAll)), 2);
        b.dispatch(); // node B knows the cursor at the head
        for (int i = 1; i <= 5; i++) {
            emit(pushed("library/app", "t" + i), i);
        }
        assertThat(a.dispatch()).isEqualTo(5);
        assertThat(b.dispatch()).isZero();
        emit(pushed("library/app", "t6"), 6);
        assertThat(b.dispatch()).isEqualTo(1);
        assertThat(a.dispatch()).isZero();
        assertThat(onA).hasSize(5);
        assertThat(onB).extracting(e -> ((ImagePushed) e.event()).tag().value()).containsExactly("t6");
    }

    @Test
    void theDispatcherSweepsOnlyWhatEverySubscriberHasPassed() {
        ManualClock clock = new ManualClock();
        EventSubscriber fine = subscriber("fine", batch -> { });
        List<StoredEvent> slowSeen = new ArrayList<>();
        boolean[] slowUp = {false};
        EventSubscriber slow = subscriber("slow", batch -> {
            if (!slowUp[0]) {
                throw new IllegalStateException("not yet");
            }
            slowSeen.addAll(batch);
        });
        EventDispatcher dispatcher = new EventDispatcher(store, List.of(fine, slow),
                new EventDispatcher.Settings(Duration.ofSeconds(1), Duration.ofDays(7), 100), clock);
        dispatcher.dispatch();
        store.inTransaction("old", unit -> {
            unit.emit(pushed("library/app", "old"), clock.instant());
            return null;
        });
        clock.advance(Duration.ofDays(8));
        dispatcher.dispatch();
        assertThat(dispatcher.sweep()).isZero(); // "slow" has not handled it yet
        slowUp[0] = true;
        dispatcher.dispatch();
        assertThat(slowSeen).hasSize(1);
        assertThat(dispatcher.sweep()).isEqualTo(1);
        assertThat(store.eventsAfter(0, 10)).isEmpty();
    }

    /** What /metrics shows: events behind each subscriber's stored cursor and when the oldest of them was written. */
    @Test
    void lagCountsTheEventsBehindEachSubscribersCursor() {
        boolean[] down = {true};
        EventSubscriber failing = subscriber("failing", batch -> {
            if (down[0]) {
                throw new IllegalStateException("down");
            }
        });
        EventDispatcher dispatcher = dispatcher(List.of(failing, subscriber("fine", batch -> { })), 10);
        dispatcher.dispatch();
        assertThat(dispatcher.subscriberNames()).containsExactly("failing", "fine");
        assertThat(dispatcher.lag()).extracting(EventDispatcher.Lag::events).containsExactly(0L, 0L);
        for (int i = 1; i <= 3; i++) {
            emit(pushed("library/app", "t" + i), i);
        }
        dispatcher.dispatch();
        assertThat(dispatcher.lag()).containsExactly(
                new EventDispatcher.Lag("failing", 3, java.util.Optional.of(at(1))),
                new EventDispatcher.Lag("fine", 0, java.util.Optional.empty()));
        down[0] = false;
        dispatcher.dispatch();
        assertThat(dispatcher.lag()).extracting(EventDispatcher.Lag::events).containsExactly(0L, 0L);
    }

    protected EventDispatcher dispatcher(List<EventSubscriber> subscribers, int batchSize) {
        return new EventDispatcher(store, subscribers,
                new EventDispatcher.Settings(Duration.ofMillis(50), Duration.ofDays(7), batchSize), new ManualClock());
    }

    protected interface Handler {
        void handle(List<StoredEvent> batch) throws Exception;
    }

    protected static EventSubscriber subscriber(String name, Handler handler) {
        return subscriber(name, false, handler);
    }

    /** A subscriber on a lane of its own, as webhooks. */
    private static EventSubscriber ownThread(String name, Handler handler) {
        return subscriber(name, true, handler);
    }

    private static EventSubscriber subscriber(String name, boolean ownThread, Handler handler) {
        return new EventSubscriber() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean ownThread() {
                return ownThread;
            }

            @Override
            public void handle(List<StoredEvent> batch) throws Exception {
                handler.handle(batch);
            }
        };
    }
}
