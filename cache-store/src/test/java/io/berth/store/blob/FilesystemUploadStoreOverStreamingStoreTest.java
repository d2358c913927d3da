package io.berth.store.blob;

import io.berth.store.testing.InMemoryBlobStore;

/**
 * The same upload tests with finished blobs going to a store that is not the local file system
 * (as an object store will be): the upload store must hand them over through the contract only.
 */
class FilesystemUploadStoreOverStreamingStoreTest extends FilesystemUploadStoreTest {
    @Override
    BlobStore newBlobStore(StoragePaths paths) {
        return new InMemoryBlobStore();
    }
}
