package io.wharf.core.memory;

import io.wharf.core.spi.AuditIndexContract;
import io.wharf.core.spi.MetadataStore;

class InMemoryAuditIndexTest extends AuditIndexContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
