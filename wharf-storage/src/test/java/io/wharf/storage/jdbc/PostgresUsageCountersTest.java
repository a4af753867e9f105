package io.wharf.storage.jdbc;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.UsageCountersContract;
import org.junit.jupiter.api.Tag;

/** The usage counters against a real PostgreSQL server (its triggers, its row locks), a fresh database per test. */
@Tag("postgres")
class PostgresUsageCountersTest extends UsageCountersContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
