package io.wharf.core.service;

import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.spi.MetadataStore;

class InMemoryImplicitCreationTest extends ImplicitCreationContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
