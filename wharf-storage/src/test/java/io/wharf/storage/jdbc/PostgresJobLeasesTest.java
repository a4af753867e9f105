package io.wharf.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spi.JobLeasesContract;
import io.wharf.core.spi.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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

    /** Nodes starting at once register the same jobs: none of them fails on the row another just inserted. */
    @Test
    void nodesRegisteringTheSameJobsAtOnceAllSucceed() throws Exception {
        String url = PostgresServer.get().createDatabase();
        List<JdbcMetadataStore> nodes = List.of(PostgresServer.get().openStore(url), PostgresServer.get().openStore(url));
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int round = 0; round < 10; round++) {
                String job = "job-" + round;
                CyclicBarrier start = new CyclicBarrier(8);
                List<Callable<Void>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    JdbcMetadataStore node = nodes.get(i % 2);
                    calls.add(() -> {
                        start.await();
                        node.registerJob(job, Duration.ofMinutes(1), Instant.EPOCH.plusSeconds(60));
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(calls)) {
                    f.get();
                }
                assertThat(nodes.getFirst().findJob(job)).isPresent();
            }
        } finally {
            nodes.forEach(JdbcMetadataStore::close);
        }
    }
}
