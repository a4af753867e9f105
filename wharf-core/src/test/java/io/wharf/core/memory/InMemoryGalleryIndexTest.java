package io.wharf.core.memory;

import io.wharf.core.spi.GalleryIndexContract;
import io.wharf.core.spi.MetadataStore;

class InMemoryGalleryIndexTest extends GalleryIndexContract {
    @Override
    protected MetadataStore createStore() {
        return new InMemoryMetadataStore();
    }
}
