package io.wharf.storage.jdbc;

import io.wharf.core.spi.GalleryIndexContract;
import io.wharf.core.spi.MetadataStore;
import org.junit.jupiter.api.Tag;

/** The shared contract against a real PostgreSQL server, a fresh database per test. */
@Tag("postgres")
class PostgresGalleryIndexTest extends GalleryIndexContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
