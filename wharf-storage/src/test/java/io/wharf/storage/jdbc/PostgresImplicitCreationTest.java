package io.wharf.storage.jdbc;

import io.wharf.core.service.ImplicitCreationContract;
import io.wharf.core.spi.MetadataStore;
import org.junit.jupiter.api.Tag;

/** Creation templates applied on implicit creation, against a real PostgreSQL server. */
@Tag("postgres")
class PostgresImplicitCreationTest extends ImplicitCreationContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
