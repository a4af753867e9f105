package io.wharf.core.memory;

import io.wharf.core.spi.BlobStoreContract;

class InMemoryBlobStoreTest extends BlobStoreContract {

    @Override
    protected Stores createStores() {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        return new Stores(blobs, new InMemoryUploadStore(blobs));
    }
}
