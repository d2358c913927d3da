package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.UpstreamException.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One request body of an upload: {@code length} bytes of a {@link BlobSource} from {@code offset},
 * read on a virtual thread of its own (so a slow source or a throttle that holds a bandwidth limit
 * never blocks the HTTP client's threads) only as fast as the connection takes them, and hashed on
 * the way. When the body ends the blob, the hash is checked before its last piece is handed over:
 * bytes that are not the blob never reach the registry whole, so it cannot commit them. The
 * {@link PushOptions#stopped} check and the throttle run before each piece; a connection that takes
 * nothing for the idle timeout breaks the body off as stalled.
 */
final class SourcePublisher implements HttpRequest.BodyPublisher {
    private static final long WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How many times one body opens its source again after the source's connection broke. */
    static final int MAX_REOPENS = 3;
    private static final Set<Kind> REOPENABLE = EnumSet.of(Kind.UNREACHABLE, Kind.TIMEOUT);

    private final BlobSource source;
    private final long offset;
    private final long length;
    private final MessageDigest hasher;
    private final Digest blobDigest;
    private final PushOptions options;
    private final Duration idleTimeout;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicLong demand = new AtomicLong();
    private volatile boolean cancelled;
    private volatile Thread reader;
    private volatile Throwable failure;
    private volatile MessageDigest endState;
    private volatile long sent;
    /** The source stream, used by the reading thread only. */
    private InputStream in;
    private int reopens;

    /**
     * @param start      the hash of the blob's bytes before {@code offset} (copied, not changed); null: the
     *                   bytes are not hashed, the registry alone checks them ({@link PushOptions#checkSource})
     * @param blobDigest the blob's digest when this body ends the blob (it is then checked), else null
     */
    SourcePublisher(BlobSource source, long offset, long length, MessageDigest start, Digest blobDigest,
                    PushOptions options, Duration idleTimeout) {
        this.source = source;
        this.offset = offset;
        this.length = length;
        this.hasher = HashCheckpoint.copy(start);
        this.blobDigest = blobDigest;
        this.options = options;
        this.idleTimeout = idleTimeout;
    }

    /** Whether {@code e} (a failed send) came from a body that the uploader's side broke off: its source, a stop. */
    static boolean brokenOffByUs(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BrokenOff) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long contentLength() {
        return length;
    }

    /** What broke the body off on this side (a {@link BlobSourceException}, a stop, a stall), or null. */
    Throwable failure() {
        return failure;
    }

    /** The hash of the blob up to the end of this body, once all of it was handed over; else null. */
    MessageDigest endState() {
        return endState;
    }

    /** The bytes handed to the HTTP client so far. */
    long sent() {
        return sent;
    }

    /** Stops the reading thread, if it still runs (the request is over). */
    void abandon() {
        cancelled = true;
        LockSupport.unpark(reader);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("an upload body is sent once; a new one is made per send"));
            return;
        }
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n > 0) {
                    demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                    LockSupport.unpark(reader);
                }
            }

            @Override
            public void cancel() {
                abandon();
            }
        });
        Thread thread = Thread.ofVirtual().name("berth-upload-body").unstarted(() -> pump(subscriber));
        reader = thread;
        thread.start();
    }

    private void pump(Flow.Subscriber<? super ByteBuffer> subscriber) {
        long done = 0;
        try {
            in = open(offset);
            while (done < length) {
                if (!awaitDemand(done)) {
                    return;
                }
                int piece = (int) Math.min(PushOptions.PIECE_SIZE, length - done);
                options.throttle().accept(piece);
                byte[] bytes = read(piece, done);
                if (hasher != null) {
                    hasher.update(bytes);
                }
                done += piece;
                if (done == length) {
                    if (blobDigest != null && hasher != null) {
                        checkDigest();
                    }
                    endState = HashCheckpoint.copy(hasher);
                }
                demand.decrementAndGet();
                subscriber.onNext(ByteBuffer.wrap(bytes));
                sent = done;
            }
            subscriber.onComplete();
        } catch (UpstreamException stalled) {
            // the registry's side: a connection that stopped taking bytes
            failure = stalled;
            subscriber.onError(stalled);
        } catch (BlobSourceException | RuntimeException e) {
            failure = e;
            subscriber.onError(new BrokenOff(e));
        } finally {
            closeQuietly(in);
        }
    }

    private InputStream open(long at) throws BlobSourceException {
        try {
            return source.open(at);
        } catch (IOException | RuntimeException e) {
            throw new BlobSourceException("opening the blob's source at byte " + at + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The next {@code piece} bytes. A source connection that breaks on the way (reset, cut short, a
     * stall) is opened again at the byte where it broke, a few times, so that the request to the
     * registry goes on undisturbed: a registry may not resume a chunk that was broken off (CNCF
     * Distribution 2.8 drops the session), and the blob would be sent again from its first byte.
     */
    private byte[] read(int piece, long done) throws BlobSourceException {
        byte[] bytes = new byte[piece];
        int got = 0;
        while (got < piece) {
            int n;
            try {
                n = in.read(bytes, got, piece - got);
            } catch (IOException e) {
                long at = offset + done + got;
                if (reopens >= MAX_REOPENS || !(e instanceof UpstreamException u) || !REOPENABLE.contains(u.kind())) {
                    throw new BlobSourceException("reading the blob from its source failed at byte " + at + ": "
                            + e.getMessage(), e);
                }
                reopens++;
                closeQuietly(in);
                if (options.stopped().getAsBoolean()) {
                    throw new CancellationException("the push was stopped");
                }
                in = open(at);
                continue;
            }
            if (n < 0) {
                throw new BlobSourceException("the blob's source ended at byte " + (offset + done + got) + ", before the "
                        + (offset + length) + " bytes it was to send", null);
            }
            got += n;
        }
        return bytes;
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException | RuntimeException e) {
                // the source is done with either way
            }
        }
    }

    private void checkDigest() throws BlobSourceException {
        Digest actual = Digest.of(blobDigest.algorithm(), HashCheckpoint.copy(hasher).digest());
        if (!actual.equals(blobDigest)) {
            throw new BlobSourceException("the bytes read from the source hash to " + actual + ", not to " + blobDigest
                    + ": they are not the blob, and were not completed at the registry", null);
        }
    }

    /** Waits until the connection wants more; false when cancelled. Throws on a stop or a stall. */
    private boolean awaitDemand(long done) throws UpstreamException {
        long since = System.nanoTime();
        while (!cancelled && demand.get() == 0) {
            if (options.stopped().getAsBoolean()) {
                throw new CancellationException("the push was stopped");
            }
            long left = idleTimeout.toNanos() - (System.nanoTime() - since);
            if (left <= 0) {
                throw new UpstreamException(Kind.TIMEOUT, 0, null, "the registry took no bytes for "
                        + idleTimeout.toMillis() + " ms after " + done + " of the " + length + " bytes of a chunk", null);
            }
            LockSupport.parkNanos(this, Math.min(left, WAKE_NANOS));
        }
        if (!cancelled && options.stopped().getAsBoolean()) {
            throw new CancellationException("the push was stopped");
        }
        return !cancelled;
    }

    /** How the body tells the HTTP client that this side broke it off; the real reason is {@link #failure}. */
    static final class BrokenOff extends IOException {
        BrokenOff(Throwable reason) {
            super("the upload's body was broken off: " + reason.getMessage(), reason);
        }
    }
}
