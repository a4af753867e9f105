package io.wharf.server.jobs;

import io.wharf.core.spi.MetadataStore;
import io.wharf.storage.jdbc.PostgresServer;
import org.junit.jupiter.api.Tag;

/** The scheduler's tests with their two stores as two nodes of a cluster on one PostgreSQL database. */
@Tag("postgres")
class PostgresJobSchedulerTest extends JobSchedulerTest {
    private final String url = PostgresServer.get().createDatabase();

    @Override
    protected MetadataStore openStore() {
        return PostgresServer.get().openStore(url);
    }

    @Override
    protected MetadataStore openOtherStore() {
        return PostgresServer.get().openStore(url);
    }
}
