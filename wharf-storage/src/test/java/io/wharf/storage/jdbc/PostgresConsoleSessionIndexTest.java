package io.wharf.storage.jdbc;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.ConsoleSessionIndexContract;
import org.junit.jupiter.api.Tag;

/** The shared contract against a real PostgreSQL server, a fresh database per test. */
@Tag("postgres")
class PostgresConsoleSessionIndexTest extends ConsoleSessionIndexContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
