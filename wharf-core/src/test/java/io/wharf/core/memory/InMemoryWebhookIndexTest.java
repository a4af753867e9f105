package io.wharf.core.memory;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.WebhookIndexContract;

class InMemoryWebhookIndexTest extends WebhookIndexContract {
    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
