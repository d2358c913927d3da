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
 *   <li>Every write ({@link #put}, {@link #ingest}, {@link #adopt}, {@link #refresh}) leaves the
 *       blob with a write time no earlier than the write's start, also when the store held the
 *       content already, and writes the content again when a deletion took it away meanwhile. A
 *       caller that records a blob as present in the database writes or refreshes it first:
 *       {@link #deleteUnlessWritten} relies on this never to remove content a writer is about to
 *       record (see {@code io.berth.store.gc.BlobReclaimer}).</li>
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

    /**
     * Marks content the store holds as just written, as a write of it would, for a writer that
     * found it held and so did not write it; false when the store does not hold it (write it then).
     */
    boolean refresh(Digest digest) throws IOException;

    /**
     * Removes a blob's content at once, whoever may be writing or reading it; returns false when the
     * store did not hold it. Garbage collection uses {@link #deleteUnlessWritten} instead.
     */
    boolean delete(Digest digest) throws IOException;

    /**
     * Removes a blob's content unless it was written at or after {@code cutoff}, and only if
     * {@code unused} still says so once the content is out of reach of new writers: the store first
     * takes the content away from its name (so a concurrent write finds nothing and writes it
     * again, which this call never removes), then reads its write time, then asks {@code unused},
     * and either removes what it took away or puts it back. Content put back is as if just written.
     * When {@code unused} fails, the content is put back and the failure thrown.
     */
    Deletion deleteUnlessWritten(Digest digest, Instant cutoff, UnusedCheck unused) throws IOException;

    /**
     * Puts back content that a {@link #deleteUnlessWritten} interrupted by a crash had taken away
     * and not yet removed. Call it before deleting, from the one process that deletes (a lease);
     * a store whose deletions leave nothing aside has nothing to do.
     */
    default void recoverDeletions() throws IOException {
    }

    /** Calls {@code visitor} for every blob the store holds, in no particular order. */
    void forEach(BlobVisitor visitor) throws IOException;

    /** Removes what writes interrupted by a crash left behind, if older than {@code cutoff}. */
    default void sweep(Instant cutoff) throws IOException {
    }

    /** What {@link #deleteUnlessWritten} did. */
    enum Deletion {
        /** The content is gone. */
        DELETED,
        /** The store did not hold it. */
        ABSENT,
        /** It was written at or after the cutoff: kept. */
        WRITTEN_SINCE,
        /** The check said it is in use again: kept. */
        IN_USE
    }

    /** Whether a blob's content is still unused (nothing in the database records it as present). */
    @FunctionalInterface
    interface UnusedCheck {
        boolean stillUnused() throws IOException;
    }

    /** Receives blobs from {@link #forEach}. */
    @FunctionalInterface
    interface BlobVisitor {
        void visit(BlobInfo blob) throws IOException;
    }
}
