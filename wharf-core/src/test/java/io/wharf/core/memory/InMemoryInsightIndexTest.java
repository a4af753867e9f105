package io.wharf.core.memory;

import io.wharf.core.spi.InsightIndexContract;
import io.wharf.core.spi.MetadataStore;

class InMemoryInsightIndexTest extends InsightIndexContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
