package io.wharf.core.memory;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.MetadataStoreContract;

class InMemoryMetadataStoreTest extends MetadataStoreContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
