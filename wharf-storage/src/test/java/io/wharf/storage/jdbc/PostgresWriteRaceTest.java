package io.wharf.storage.jdbc;

import io.wharf.core.service.WriteRaceContract;
import io.wharf.core.spi.MetadataStore;
import org.junit.jupiter.api.Tag;

/**
 * The write races against real PostgreSQL under READ COMMITTED, several pooled connections writing at once:
 * the checks inside units of work lock what they read (the repository's row), so they hold as on SQLite.
 */
@Tag("postgres")
class PostgresWriteRaceTest extends WriteRaceContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
