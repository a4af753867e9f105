package io.wharf.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The repository label cap holds under concurrent first sightings, and a capped name never gets a series. */
class RepositoryLabelsTest {

    @Test
    void concurrentNewRepositoriesNeverExceedTheCap() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RepositoryLabels labels = new RepositoryLabels(registry, true, 10);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String repo = "repo-" + (i % 50);
            tasks.add(() -> {
                labels.of(repo).pulls().increment();
                return null;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        }
        var pulls = registry.find(RepositoryLabels.PULLS).counters();
        assertThat(pulls).hasSize(11); // 10 names and _other
        assertThat(pulls.stream().mapToDouble(c -> c.count()).sum()).isEqualTo(200.0);
        assertThat(pulls.stream().filter(c -> c.getId().getTag("repository").equals(RepositoryLabels.OTHER))).hasSize(1);
    }

    @Test
    void zeroMeansNoLabel() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RepositoryLabels labels = new RepositoryLabels(registry, true, 0);
        labels.of("x").pushes().increment();
        labels.of("y").pushes().increment();
        assertThat(registry.find(RepositoryLabels.PUSHES).counters()).singleElement()
                .satisfies(c -> assertThat(c.getId().getTags()).isEmpty())
                .satisfies(c -> assertThat(c.count()).isEqualTo(2.0));
    }
}
