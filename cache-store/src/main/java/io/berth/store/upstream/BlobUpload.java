package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.UploadRequests.Status;
import io.berth.store.upstream.UpstreamClients.Options;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamWriter.PushResult;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * One blob pushed into one repository: a small one in the request that opens the session where the
 * registry takes that ({@link MonolithicPosts}); else a session opened (or a mount asked for), then
 * the bytes in one {@code PUT} or in chunks, then the closing {@code PUT}. After a failure that the registry may
 * recover from (no connection, a time-out, a 5xx, a 429, a session that moved on), it waits and
 * asks the session where it stands ({@code GET} → {@code Range}) and goes on from there, the hash
 * brought to that byte too; a session the registry lost or will not resume is started again. A
 * bounded number of such resumes; then, or on any other failure, the session is cancelled.
 */
final class BlobUpload {
    private static final Set<Kind> PASSING = EnumSet.of(Kind.UNREACHABLE, Kind.TIMEOUT, Kind.SERVER_ERROR,
            Kind.RATE_LIMITED, Kind.NOT_ASKED);
    private static final long WAKE_MILLIS = 200;

    private final UploadRequests requests;
    private final Options options;
    private final Digest digest;
    private final long size;
    private final BlobSource source;
    private final PushOptions push;
    private final MonolithicPosts posts;
    private UploadSession session;
    private HashCheckpoint at;
    private long bytesSent;
    private int resumes;

    BlobUpload(UploadRequests requests, Options options, Digest digest, long size, BlobSource source, PushOptions push,
               MonolithicPosts posts) {
        if (size < 0) {
            throw new IllegalArgumentException("a blob's size cannot be negative: " + size);
        }
        this.requests = requests;
        this.options = options;
        this.digest = digest;
        this.size = size;
        this.source = source;
        this.push = push;
        this.posts = posts;
        this.at = HashCheckpoint.start(digest.algorithm(), push.checkSource());
    }

    PushResult run() throws UpstreamException, BlobSourceException {
        stopIfAsked();
        if (size == 0 && !digest.equals(Digest.of(digest.algorithm(), digest.algorithm().newHasher().digest()))) {
            throw new BlobSourceException("the blob " + digest + " cannot have 0 bytes: that is not their digest", null);
        }
        if (push.mountFrom() == null && posts.worthTrying(size, push.monolithicLimit())) {
            Optional<Status> refused = postWhole();
            if (refused.isEmpty()) {
                return new PushResult(false, bytesSent, 0);
            }
            session = refused.get().session();
            if (refused.get().stored().orElse(0) > 0) {
                // It kept the body as a first chunk after all: start clean rather than guess.
                requests.cancel(session);
                session = requests.open(null, null).orElseThrow();
            }
        } else {
            Optional<UploadSession> opened = requests.open(push.mountFrom() == null ? null : digest, push.mountFrom());
            if (opened.isEmpty()) {
                return new PushResult(true, 0, 0);
            }
            session = opened.get();
        }
        try {
            transfer();
            return new PushResult(false, bytesSent, resumes);
        } catch (UpstreamException | BlobSourceException | RuntimeException e) {
            requests.cancel(session);
            throw e;
        }
    }

    private void transfer() throws UpstreamException, BlobSourceException {
        boolean whole = size < push.monolithicLimit();
        boolean resync = false;
        while (true) {
            stopIfAsked();
            try {
                if (resync) {
                    resync = false;
                    if (resynchronise(whole)) {
                        return;
                    }
                }
                if (whole) {
                    sendWhole();
                    return;
                }
                if (at.offset() < size) {
                    sendChunk();
                    continue;
                }
                requests.close(session, digest);
                return;
            } catch (UpstreamException e) {
                if (!resumable(e) || resumes >= push.maxResumes()) {
                    throw e;
                }
                resumes++;
                pause(e);
                resync = true;
            }
        }
    }

    private void sendWhole() throws UpstreamException, BlobSourceException {
        at = HashCheckpoint.start(digest.algorithm(), push.checkSource());
        ChunkBodies blob = new ChunkBodies(source, 0, size, at, digest, push, options.idleTimeout());
        try {
            requests.putWhole(session, digest, blob, push);
        } finally {
            bytesSent += blob.sent();
        }
    }

    /** The blob in one POST; empty when the registry stored it, else where the session it opened stands. */
    private Optional<Status> postWhole() throws UpstreamException, BlobSourceException {
        ChunkBodies blob = new ChunkBodies(source, 0, size, HashCheckpoint.start(digest.algorithm(), push.checkSource()), digest, push,
                options.idleTimeout());
        Optional<Status> answer;
        try {
            answer = requests.postWhole(digest, blob, push);
        } finally {
            bytesSent += blob.sent();
        }
        posts.answered(answer.isEmpty());
        return answer;
    }

    private void sendChunk() throws UpstreamException, BlobSourceException {
        long length = Math.min(Math.max(push.chunkSize(), session.minChunk()), size - at.offset());
        long end = at.offset() + length;
        ChunkBodies chunk = new ChunkBodies(source, at.offset(), length, at, end == size ? digest : null, push,
                options.idleTimeout());
        Status after;
        try {
            after = requests.patch(session, chunk, push);
        } finally {
            bytesSent += chunk.sent();
        }
        session = after.session();
        // "0-0" after a first chunk of one byte means that byte (see UploadSession.stored).
        long stored = after.stored().isPresent() && !(end == 1 && after.stored().getAsLong() == 0)
                ? after.stored().getAsLong() : end;
        if (stored > size) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, "the registry says its upload holds " + stored
                    + " bytes of a blob of " + size);
        }
        at = stored == end && chunk.endState() != null ? at.at(end, chunk.endState()) : at.advanceTo(stored, source);
    }

    /** Finds where the session stands, or starts another; true when the blob turned out to be committed already. */
    private boolean resynchronise(boolean whole) throws UpstreamException, BlobSourceException {
        if (whole) {
            restart(true);
            return false;
        }
        Optional<Status> status;
        try {
            status = requests.status(session);
        } catch (UpstreamException e) {
            if (e.kind() != Kind.REJECTED) {
                throw e;
            }
            restart(true); // a session the registry will not resume (Distribution's after a broken chunk)
            return false;
        }
        if (status.isEmpty()) {
            if (at.offset() == size && requests.holds(digest, size)) {
                return true; // the closing PUT went through; only its answer was lost
            }
            restart(false);
            return false;
        }
        session = status.get().session();
        long stored = status.get().stored().orElse(-1);
        if (stored < 0 || stored > size) {
            restart(true);
            return false;
        }
        at = at.advanceTo(stored, source);
        return false;
    }

    private void restart(boolean cancelOld) throws UpstreamException {
        if (cancelOld) {
            requests.cancel(session);
        }
        session = requests.open(null, null).orElseThrow();
        at = HashCheckpoint.start(digest.algorithm(), push.checkSource());
    }

    private static boolean resumable(UpstreamException e) {
        return PASSING.contains(e.kind()) || e.kind() == Kind.REJECTED && (e.status() == 404 || e.status() == 416);
    }

    /** Waits before resume {@link #resumes}: the backoff, or the registry's Retry-After (failing when too long). */
    private void pause(UpstreamException e) throws UpstreamException {
        long backoff = push.resumeBackoff().toMillis() << Math.min(resumes - 1, 5);
        Duration wait = Duration.ofMillis(backoff);
        if (e.retryAfter().isPresent()) {
            if (e.retryAfter().get().compareTo(options.maxRetryAfter()) > 0) {
                throw e;
            }
            wait = wait.compareTo(e.retryAfter().get()) > 0 ? wait : e.retryAfter().get();
        }
        long until = System.nanoTime() + wait.toNanos();
        for (long left = wait.toMillis(); left > 0; left = (until - System.nanoTime()) / 1_000_000) {
            stopIfAsked();
            try {
                Thread.sleep(Math.min(left, WAKE_MILLIS));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw stopped();
            }
        }
    }

    private void stopIfAsked() {
        if (push.stopped().getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw stopped();
        }
    }

    private CancellationException stopped() {
        return new CancellationException("the push of the blob " + digest + " was stopped after " + bytesSent
                + " bytes sent");
    }
}
