package io.wharf.storage.jdbc;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.InsightIndexContract;
import org.junit.jupiter.api.Tag;

/** The shared contract against a real PostgreSQL server, a fresh database per test. */
@Tag("postgres")
class PostgresInsightIndexTest extends InsightIndexContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
