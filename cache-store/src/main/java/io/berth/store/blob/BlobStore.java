package io.berth.store.blob;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Content-addressed storage of verified blobs: the contract every storage driver (the local file
 * system today, an S3-compatible object store next) fulfils and {@code BlobStoreContract} tests.
 *
 * <ul>
 *   <li>A blob is visible only once complete and verified: every write checks the content against
 *       its digest (and size, when one is expected) before anything can read it, and a failed
 *       write leaves nothing behind.</li>
 *   <li>Content under a digest never changes; writing the same content twice, even concurrently,
 *       is harmless.</li>
 *   <li>It knows nothing of repositories: which repository may read which blob is the metadata
 *       database's business.</li>
 * </ul>
 *
 * All methods may block (disk, network): never call them on an event loop. Implementations are
 * safe for concurrent use.
 */
public interface BlobStore {
    /** The blob's size, or empty when the store does not hold it. */
    OptionalLong stat(Digest digest) throws IOException;

    /**
     * Opens {@code length} bytes of the blob from {@code offset} for serving, in the store's best
     * form; empty when the store does not hold it. The span must lie within the blob.
     */
    Optional<BlobContent> open(Digest digest, long offset, long length) throws IOException;

    /**
     * The whole blob as a stream, for the registry's own reads (a manifest's bytes, an export).
     *
     * @throws java.nio.file.NoSuchFileException when the store does not hold it
     */
    InputStream read(Digest digest) throws IOException;

    /** Stores small content held in memory (a manifest) under its digest of the given algorithm. */
    Digest put(byte[] content, Digest.Algorithm algorithm) throws IOException;

    /**
     * Streams content in, hashing it on the way. When {@code expected} is given the content must
     * have that digest, and when {@code expectedSize} is not negative that size, or nothing is
     * stored (DIGEST_INVALID / SIZE_INVALID). Returns the content's digest.
     */
    Digest ingest(InputStream content, Digest expected, long expectedSize) throws IOException;

    /**
     * Takes a local file whose content the caller has verified against {@code digest} and made
     * durable (an upload session's data): a local store renames it into place, another copies it.
     * On success the file is gone.
     */
    void adopt(Path verifiedFile, Digest digest) throws IOException;

    /** Removes a blob's content; returns false when the store did not hold it. */
    boolean delete(Digest digest) throws IOException;

    /** Calls {@code visitor} for every blob the store holds, in no particular order. */
    void forEach(BlobVisitor visitor) throws IOException;

    /** Removes what writes interrupted by a crash left behind, if older than {@code cutoff}. */
    default void sweep(Instant cutoff) throws IOException {
    }

    /** Receives blobs from {@link #forEach}. */
    @FunctionalInterface
    interface BlobVisitor {
        void visit(BlobInfo blob) throws IOException;
    }
}
