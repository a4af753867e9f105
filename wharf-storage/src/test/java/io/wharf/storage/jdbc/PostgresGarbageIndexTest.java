package io.wharf.storage.jdbc;

import io.wharf.core.spi.GarbageIndexContract;
import io.wharf.core.spi.MetadataStore;
import org.junit.jupiter.api.Tag;

/** The shared contract against a real PostgreSQL server, a fresh database per test. */
@Tag("postgres")
class PostgresGarbageIndexTest extends GarbageIndexContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
