package io.wharf.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
    private static final Instant T = Instant.parse("2026-12-05T05:00:00.123Z");

    @Test
    void idsOfOneMillisecondSortAsTextInTheOrderTheyWereMade() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(EventIds.next(T));
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aLaterMillisecondSortsAfterAndTheIdIsAVersion7Uuid() {
        String earlier = EventIds.next(T.plusMillis(1));
        String later = EventIds.next(T.plusMillis(2));
        assertThat(later).isGreaterThan(earlier);
        UUID parsed = UUID.fromString(later);
        assertThat(parsed.version()).isEqualTo(7);
        assertThat(parsed.variant()).isEqualTo(2);
        assertThat(parsed.getMostSignificantBits() >>> 16).isEqualTo(T.plusMillis(2).toEpochMilli());
        assertThat(later).isEqualTo(later.toLowerCase());
    }

    @Test
    void idsMadeOnManyThreadsAreUnique() throws InterruptedException {
        var ids = java.util.Collections.synchronizedSet(new HashSet<String>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 5_000; i++) {
                    ids.add(EventIds.next(T));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(ids).hasSize(20_000);
    }
}
