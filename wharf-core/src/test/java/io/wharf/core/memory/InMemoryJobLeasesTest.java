package io.wharf.core.memory;

import io.wharf.core.spi.JobLeasesContract;
import io.wharf.core.spi.MetadataStore;

class InMemoryJobLeasesTest extends JobLeasesContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
