package io.berth.store.blob;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Puts content into the store, only ever after its digest was verified. */
public interface BlobWriter {
    /**
     * Moves a finished file into the store as the blob {@code digest}. The caller has verified the
     * digest and fsynced the file; it must be on the same file system as the store.
     */
    void commit(Path verifiedFile, Digest digest) throws IOException;

    /** Stores small content (a manifest) held in memory under its digest of the given algorithm. */
    Digest put(byte[] content, Digest.Algorithm algorithm) throws IOException;

    /**
     * Streams content into the store, hashing it on the way; when {@code expected} is not null the
     * content must have that digest or nothing is stored.
     */
    Digest ingest(InputStream content, Digest expected) throws IOException;

    /** Removes a blob's content; a missing blob is not an error. */
    void delete(Digest digest) throws IOException;
}
