package io.wharf.core.identity;

class InMemoryIdentityStoreTest extends IdentityStoreContract {
    @Override
    protected IdentityStore createStore() {
        return new InMemoryIdentityStore();
    }
}
