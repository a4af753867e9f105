package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Store, two repositories and helpers shared by the metadata contract suites. */
public abstract class MetadataStoreFixture {

    protected static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123Z");
    protected static final String ACCOUNT = "123456789012";
    protected static final String OTHER_ACCOUNT = "210987654321";

    protected abstract MetadataStore createStore() throws Exception;

    protected MetadataStore store;
    protected long repo;
    protected long otherRepo;

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
        repo = store.createRepository(ACCOUNT, name("library/app"), T0).id();
        otherRepo = store.createRepository(ACCOUNT, name("library/other"), T0).id();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // ---- helpers

    protected static RepositoryName name(String value) {
        return new RepositoryName(value);
    }

    protected static Tag tag(String value) {
        return new Tag(value);
    }

    protected static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Opens an upload session with no cap in the way. */
    protected void openUpload(UploadSession session) {
        assertThat(store.createUpload(session, Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(UploadAdmission.OPENED);
    }

    /** Runs {@code count} tasks at once (released together by a latch) and returns their results in order. */
    protected static <T> List<T> concurrently(int count, IntFunction<Callable<T>> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
            for (int i = 0; i < count; i++) {
                Callable<T> work = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
