package io.berth.store.blob;

import io.berth.store.oci.Digest;

import java.time.Instant;

/** A blob as a store enumerates it for garbage collection: its digest, size and when it was last written. */
public record BlobInfo(Digest digest, long size, Instant modifiedAt) {
}
