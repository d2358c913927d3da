package io.berth.store.blob;

import io.berth.store.testing.InMemoryBlobStore;

/** The in-memory test driver keeps the storage contract too, so tests built on it test what a real driver does. */
class InMemoryBlobStoreTest extends BlobStoreContract {
    @Override
    protected BlobStore newStore() {
        return new InMemoryBlobStore();
    }

    @Override
    protected void assertNoLeftovers() {
        // nothing is written until the content is verified
    }
}
