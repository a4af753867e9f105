package io.wharf.core.memory;

import io.wharf.core.spi.EventOutboxContract;
import io.wharf.core.spi.MetadataStore;

class InMemoryEventOutboxTest extends EventOutboxContract {
    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
