package io.wharf.core.memory;

import io.wharf.core.spi.AdvisoryIndexContract;
import io.wharf.core.spi.MetadataStore;

class InMemoryAdvisoryIndexTest extends AdvisoryIndexContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
