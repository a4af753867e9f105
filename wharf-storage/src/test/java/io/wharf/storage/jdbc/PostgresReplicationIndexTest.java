package io.wharf.storage.jdbc;

import io.wharf.core.spi.ReplicationIndexContract;
import io.wharf.core.spi.MetadataStore;
import org.junit.jupiter.api.Tag;

/** The shared contract against a real PostgreSQL server, a fresh database per test. */
@Tag("postgres")
class PostgresReplicationIndexTest extends ReplicationIndexContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
