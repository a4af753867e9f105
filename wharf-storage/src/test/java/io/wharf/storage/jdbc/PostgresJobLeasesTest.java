package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spi.JobLeasesContract;
import io.wharf.core.spi.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shared contract against a real PostgreSQL server, a fresh database per test. */
@Tag("postgres")
class PostgresJobLeasesTest extends JobLeasesContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }

    /** Nodes starting together register the same jobs on several connections: all succeed, one row each. */
    @Test
    void concurrentRegistrationsOfOneJobAllSucceed() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                String job = "job-" + round;
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<?>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    results.add(threads.submit(() -> {
                        start.await();
                        store.registerJob(job, Duration.ofMinutes(1), Instant.EPOCH);
                        return null;
                    }));
                }
                for (Future<?> f : results) {
                    f.get(); // a key violation fails here
                }
                assertThat(store.listJobs()).filteredOn(j -> j.name().equals(job)).hasSize(1);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
