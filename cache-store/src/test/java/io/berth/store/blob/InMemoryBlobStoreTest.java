package io.berth.store.blob;

import io.berth.store.oci.Digest;
import io.berth.store.testing.InMemoryBlobStore;

import java.time.Instant;

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

    @Override
    public void backdate(Digest digest, Instant writtenAt) {
        ((InMemoryBlobStore) store).backdate(digest, writtenAt);
    }
}
