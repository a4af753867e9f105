package io.wharf.storage.jdbc;

import io.wharf.core.spi.AuditIndexContract;
import io.wharf.core.spi.MetadataStore;
import org.junit.jupiter.api.Tag;

/** The shared contract against a real PostgreSQL server, a fresh database per test. */
@Tag("postgres")
class PostgresAuditIndexTest extends AuditIndexContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
