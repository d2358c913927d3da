package io.berth.store.blob;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * Upload sessions: the bytes a client has sent of a blob it is pushing, kept until it finishes
 * (the content is verified and handed to the {@link BlobStore}) or abandons the upload. Sessions
 * survive a restart. Chunks of one session apply one at a time, and a chunk counts only once
 * committed: one that fails is undone, and one a crash interrupted is cut off before the session
 * is used again. Methods block: never call them on an event loop.
 */
public interface UploadStore {
    /** Starts an empty session whose running hash uses {@code algorithm}; returns its id. */
    String create(Digest.Algorithm algorithm) throws IOException;

    /** Whether a session with this id exists (ids of any form may be asked about). */
    boolean exists(String id);

    /** Bytes received and acknowledged so far; BLOB_UPLOAD_UNKNOWN for an unknown session. */
    long size(String id) throws IOException;

    /**
     * Starts applying one chunk. {@code expectedStart} is where the client says the chunk begins
     * ({@code -1} when it does not say): it must equal the bytes received so far, or the chunk is
     * refused (CHUNK_OUT_OF_ORDER). The chunk holds the session until closed.
     */
    Chunk beginChunk(String id, long expectedStart) throws IOException;

    /**
     * Verifies the session's content against {@code expected}, hands it to the blob store and ends
     * the session. On a mismatch the session ends too and nothing is stored (DIGEST_INVALID).
     */
    void complete(String id, Digest expected) throws IOException;

    /** Ends a session and discards what it received; an unknown session is not an error. */
    void delete(String id) throws IOException;

    /** Sessions that have not received anything since {@code cutoff}. */
    List<String> idleSince(Instant cutoff) throws IOException;

    /**
     * Removes a session unless it received something since {@code cutoff} (checked while holding
     * it, so a chunk arriving meanwhile keeps it). Returns whether it was removed.
     */
    boolean deleteIfIdle(String id, Instant cutoff) throws IOException;

    /** One chunk being applied. Close it always: without {@link #commit()} everything it wrote is undone. */
    interface Chunk extends AutoCloseable {
        /** Where this chunk started: the bytes the session held before it. */
        long start();

        /** Appends the buffer's remaining bytes. */
        void write(ByteBuffer buffer) throws IOException;

        /** Keeps what was written; returns the session's new size. */
        long commit() throws IOException;

        @Override
        void close() throws IOException;
    }
}
