package io.wharf.core.memory;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.UsageCountersContract;

class InMemoryUsageCountersTest extends UsageCountersContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
