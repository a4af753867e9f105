package io.wharf.core.memory;

import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.TemplateIndexContract;

class InMemoryTemplateIndexTest extends TemplateIndexContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
