package io.wharf.storage.jdbc;

import io.wharf.core.spi.WebhookIndexContract;
import io.wharf.core.spi.MetadataStore;
import org.junit.jupiter.api.Tag;

/** The shared contract against a real PostgreSQL server, a fresh database per test. */
@Tag("postgres")
class PostgresWebhookIndexTest extends WebhookIndexContract {

    @Override
    protected MetadataStore createStore() {
        return PostgresServer.newStore();
    }
}
