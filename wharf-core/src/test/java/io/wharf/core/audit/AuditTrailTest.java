package io.wharf.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.audit.AuditRecord.UserIdentity;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.spi.AuditIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class AuditTrailTest {
    private final InMemoryMetadataStore store = new InMemoryMetadataStore();
    private final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());

    /** The real in-memory index, with the sizes of the batches it was handed noted. */
    private final AuditIndex noting = new AuditIndex() {
        @Override
        public void appendAudit(List<AuditRecord> records) {
            batches.add(records.size());
            store.audit().appendAudit(records);
        }

        @Override
        public List<AuditRecord> findAudit(AuditQuery query) {
            return store.audit().findAudit(query);
        }

        @Override
        public int deleteAuditBefore(Instant cutoff, int limit) {
            return store.audit().deleteAuditBefore(cutoff, limit);
        }
    };

    static AuditRecord record(int i) {
        return new AuditRecord("id-" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i), "ecr.amazonaws.com",
                "PutImage", "us-east-1", "123456789012", UserIdentity.of("123456789012",
                "arn:aws:iam::123456789012:root", null), "127.0.0.1", "test", "app", Map.of("i", i), null, null,
                null, null, false);
    }

    @Test
    void tenThousandRecordsFromManyThreadsAreWrittenInBatchesAndNoneIsLost() throws Exception {
        AuditTrail trail = new AuditTrail(noting, new AuditTrail.Settings(20_000, 500, Duration.ofMillis(200)));
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                int from = t * 1250;
                pool.submit(() -> {
                    go.await();
                    for (int i = from; i < from + 1250; i++) {
                        assertThat(trail.offer(record(i))).isTrue();
                    }
                    return null;
                });
            }
            go.countDown();
        }
        trail.close(Duration.ofSeconds(30));
        assertThat(trail.written()).isEqualTo(10_000);
        assertThat(trail.dropped()).isZero();
        assertThat(store.audit().findAudit(AuditQuery.newest(20_000))).hasSize(10_000);
        assertThat(batches).allMatch(n -> n <= 500);
        assertThat(batches.size()).as("batched, not one transaction per record").isLessThan(1_000);
    }

    @Test
    void aRecordWaitsAtMostTheDelayForItsBatch() throws Exception {
        AuditTrail trail = new AuditTrail(noting, new AuditTrail.Settings(100, 500, Duration.ofMillis(200)));
        long begin = System.nanoTime();
        trail.offer(record(1));
        while (store.audit().findAudit(AuditQuery.newest(1)).isEmpty()) {
            Thread.sleep(5);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(2));
        trail.close();
        assertThat(batches).containsExactly(1);
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() {
        CountDownLatch release = new CountDownLatch(1);
        AuditIndex stuck = new AuditIndex() {
            @Override
            public void appendAudit(List<AuditRecord> records) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                noting.appendAudit(records);
            }

            @Override
            public List<AuditRecord> findAudit(AuditQuery query) {
                return noting.findAudit(query);
            }

            @Override
            public int deleteAuditBefore(Instant cutoff, int limit) {
                return 0;
            }
        };
        AuditTrail trail = new AuditTrail(stuck, new AuditTrail.Settings(10, 1, Duration.ZERO));
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            accepted += trail.offer(record(i)) ? 1 : 0;
        }
        assertThat(accepted).isBetween(10, 12); // the queue, plus what the writer already took
        assertThat(trail.dropped()).isEqualTo(100 - accepted);
        release.countDown();
        trail.close(Duration.ofSeconds(10));
        assertThat(trail.written()).isEqualTo(accepted);
    }
}
