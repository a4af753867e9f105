package io.wharf.core.memory;

import io.wharf.core.spi.ConsoleSessionIndexContract;
import io.wharf.core.spi.MetadataStore;

class InMemoryConsoleSessionIndexTest extends ConsoleSessionIndexContract {

    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
