package io.wharf.core.memory;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.PullThroughIndexContract;

class InMemoryPullThroughIndexTest extends PullThroughIndexContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
