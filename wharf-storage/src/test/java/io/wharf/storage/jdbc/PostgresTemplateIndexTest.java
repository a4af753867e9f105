package io.wharf.storage.jdbc;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.TemplateIndexContract;
import org.junit.jupiter.api.Tag;

/** The shared contract against a real PostgreSQL server, a fresh database per test. */
@Tag("postgres")
class PostgresTemplateIndexTest extends TemplateIndexContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
