package io.wharf.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.DailyPulls;
import io.wharf.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Every pull counted once, with flushes running while requests count. */
class PullCounterTest {
    private static final String ACCOUNT = "123456789012";
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Digest D = Digest.sha256Of(new byte[] {1});

    @Test
    void concurrentPullsAndFlushesLoseNothingAndCountNothingTwice() throws Exception {
        MetadataStore store = new InMemoryMetadataStore();
        long repo = store.createRepository(ACCOUNT, new RepositoryName("team/app"), NOW).id();
        PullCounter counter = new PullCounter(Clock.fixed(NOW, ZoneOffset.UTC), PullEvents.EVERY);
        int threads = 8;
        int each = 20_000;
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    counter.pull(ACCOUNT, "team/app", D, 10);
                    counter.bytes(ACCOUNT, "team/app", 1);
                }
                done.countDown();
            }));
        }
        while (done.getCount() > 0) {
            counter.flush(store);
        }
        counter.flush(store);
        for (Thread w : workers) {
            w.join();
        }
        long total = (long) threads * each;
        assertThat(store.pulls(repo, LocalDate.of(2026, 12, 3)))
                .containsExactly(new DailyPulls(LocalDate.of(2026, 12, 3), total, total * 11));
        long evented = store.eventsAfter(0, 1_000_000).stream().map(StoredEvent::event)
                .map(RegistryEvent.ImagePulled.class::cast).mapToLong(RegistryEvent.ImagePulled::count).sum();
        assertThat(evented).isEqualTo(total);
        assertThat(counter.flush(store)).as("nothing left").isZero();
        store.close();
    }

    @Test
    void withoutEveryNoPullEventIsWritten() {
        MetadataStore store = new InMemoryMetadataStore();
        store.createRepository(ACCOUNT, new RepositoryName("team/app"), NOW);
        PullCounter counter = new PullCounter(Clock.fixed(NOW, ZoneOffset.UTC), PullEvents.DAILY);
        assertThat(counter.wantsDigests()).isFalse();
        counter.pull(ACCOUNT, "team/app", null, 5);
        counter.pull(ACCOUNT, "team/gone", null, 5);
        assertThat(counter.flush(store)).isEqualTo(2);
        assertThat(store.eventsAfter(0, 100)).isEmpty();
        assertThat(store.accountPulls(ACCOUNT, LocalDate.of(2026, 12, 1)))
                .as("an unknown repository's tally is dropped").containsExactly(new DailyPulls(LocalDate.of(2026, 12, 3), 1, 5));
        store.close();
    }
}
