package io.berth.store.upstream;

import io.berth.store.oci.Digest;

import java.net.http.HttpRequest;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The bodies of one upload request: one {@link SourcePublisher} per send of it (a 401's retry or a
 * 307 sends it again, read anew from the source), the last of which is the one that counts. It
 * tells what was sent in all and what broke the last one off, and stops their reading threads
 * when the request is over.
 */
final class ChunkBodies implements Supplier<HttpRequest.BodyPublisher>, AutoCloseable {
    private final BlobSource source;
    private final long offset;
    private final long length;
    private final MessageDigest start;
    private final Digest blobDigest;
    private final PushOptions options;
    private final Duration idleTimeout;
    private final List<SourcePublisher> made = new ArrayList<>();

    /**
     * @param start      the hash of the blob before {@code offset}
     * @param blobDigest the blob's digest when the body ends the blob (checked before its last bytes), else null
     */
    ChunkBodies(BlobSource source, long offset, long length, HashCheckpoint start, Digest blobDigest,
                PushOptions options, Duration idleTimeout) {
        this.source = source;
        this.offset = offset;
        this.length = length;
        this.start = start.state();
        this.blobDigest = blobDigest;
        this.options = options;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public synchronized HttpRequest.BodyPublisher get() {
        made.forEach(SourcePublisher::abandon);
        SourcePublisher body = new SourcePublisher(source, offset, length, start, blobDigest, options, idleTimeout);
        made.add(body);
        return body;
    }

    long offset() {
        return offset;
    }

    long length() {
        return length;
    }

    /** The bytes all the sends handed to the connection. */
    synchronized long sent() {
        return made.stream().mapToLong(SourcePublisher::sent).sum();
    }

    /** The hash of the blob up to the end of the body, when its last send handed all of it over; else null. */
    synchronized MessageDigest endState() {
        return made.isEmpty() ? null : made.getLast().endState();
    }

    /** What broke the last send's body off on Berth's side (its source, a stop), or null. */
    synchronized Throwable failure() {
        return made.isEmpty() ? null : made.getLast().failure();
    }

    @Override
    public synchronized void close() {
        made.forEach(SourcePublisher::abandon);
    }
}
