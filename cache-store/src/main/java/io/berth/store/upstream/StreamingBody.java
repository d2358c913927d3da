package io.berth.store.upstream;

import io.berth.store.upstream.UpstreamException.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response body as a blocking stream, fed by the HTTP client's publisher a bounded number of
 * batches of buffers ahead of the reader (so a slow reader slows the upstream down instead of
 * filling memory); a read takes what has arrived, up to its length, and blocks only for the first byte. It is its own idle
 * watchdog: a read that waits longer than the idle timeout for the next bytes fails with
 * {@link Kind#TIMEOUT} and drops the connection, however long the transfer has run as a whole. A
 * body that ends before its {@code Content-Length} fails with an {@link IOException}: never a
 * silent short end. Closing it early drops the connection (the rest is never read). It can also be
 * read {@link ChunkedBody chunk by chunk}, as the buffers arrive.
 */
final class StreamingBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>>, ChunkedBody {
    private static final Object END = new Object();
    /**
     * Batches asked of the client ahead of the reader: one. The client's own tasks run on its
     * selector thread ({@link RegistryClient}), so asking for the next batch costs one hand-off,
     * and the socket's receive buffer keeps the connection flowing meanwhile. More made a cold
     * fill slower, not faster: every batch is a fresh 256 KiB heap buffer, and with four queued per
     * fill the young collections found megabytes of them alive, promoted them and ran concurrent
     * cycles to clear them (GC was ~0.5 CPU-s per GiB filled; ~0.15 with one, bench/proxy's image).
     */
    static final int WINDOW = 1;

    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private final long expectedLength;
    private final Duration idleTimeout;
    private final String source;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    private volatile Runnable onClose = () -> { };
    private Iterator<ByteBuffer> batch;
    private ByteBuffer current;
    private long received;
    private boolean ended;
    private IOException failure;

    /**
     * @param expectedLength the body's {@code Content-Length}, or -1 when it has none (or is a HEAD's)
     * @param source         where the body comes from, for messages (scheme, host and port only)
     */
    StreamingBody(long expectedLength, Duration idleTimeout, String source) {
        this.expectedLength = expectedLength;
        this.idleTimeout = idleTimeout;
        this.source = source;
    }

    /** Runs {@code action} once when the body is closed (after what was set before). */
    void onClose(Runnable action) {
        Runnable before = onClose;
        onClose = () -> {
            try {
                before.run();
            } finally {
                action.run();
            }
        };
    }

    long received() {
        return received;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed.get()) {
            s.cancel();
        } else {
            s.request(WINDOW);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrivals.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        arrivals.add(throwable);
    }

    @Override
    public void onComplete() {
        arrivals.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkReadable();
        int copied = 0;
        while (copied < len) {
            // What was copied goes out now; the end or a failure comes with the next read.
            ByteBuffer next = pending(copied == 0);
            if (next == null) {
                break;
            }
            int n = Math.min(len - copied, next.remaining());
            next.get(b, off + copied, n);
            copied += n;
            received += n;
        }
        return copied == 0 && len > 0 ? -1 : copied;
    }

    @Override
    public ByteBuffer nextChunk() throws IOException {
        checkReadable();
        ByteBuffer next = pending(true);
        if (next != null) {
            current = null; // the caller's now
            received += next.remaining();
        }
        return next;
    }

    private void checkReadable() throws IOException {
        if (closed.get()) {
            throw new IOException("the body from " + source + " is closed");
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The buffer holding the next bytes, asking the client for another batch as one is used up;
     * null at the end of the body, or when {@code wait} is false and no bytes have arrived yet.
     */
    private ByteBuffer pending(boolean wait) throws IOException {
        while (true) {
            if (current != null && current.hasRemaining()) {
                return current;
            }
            if (batch != null && batch.hasNext()) {
                current = batch.next();
                continue;
            }
            if (batch != null) {
                batch = null;
                subscription.request(1); // keeps WINDOW batches asked for ahead of this reader
            }
            if (ended || !wait && !(arrivals.peek() instanceof List<?>)) {
                return null;
            }
            Object next = awaitNext();
            if (next == END) {
                ended = true;
                if (expectedLength >= 0 && received < expectedLength) {
                    throw fail(new UpstreamException(Kind.UNREACHABLE, 0, null, source + " ended the body after "
                            + received + " of its " + expectedLength + " bytes", null));
                }
                return null;
            }
            if (next instanceof Throwable t) {
                throw fail(new UpstreamException(Kind.UNREACHABLE, 0, null, "the connection to " + source
                        + " failed after " + received + (expectedLength >= 0 ? " of " + expectedLength : "")
                        + " bytes of the body: " + t, t));
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> buffers = (List<ByteBuffer>) next;
            batch = buffers.iterator();
            current = null;
        }
    }

    @Override
    public int available() {
        return current == null ? 0 : current.remaining();
    }

    private Object awaitNext() throws IOException {
        Object next;
        try {
            next = arrivals.poll(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(new UpstreamException(Kind.UNREACHABLE, 0, null, "interrupted while reading from " + source, e));
        }
        if (next == null) {
            throw fail(new UpstreamException(Kind.TIMEOUT, 0, null, source + " sent no bytes for "
                    + idleTimeout.toMillis() + " ms after " + received + " bytes of the body", null));
        }
        return next;
    }

    private IOException fail(IOException e) {
        failure = e;
        cancel();
        return e;
    }

    private void cancel() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** Whether the whole body was read (the connection may then be reused). */
    boolean complete() {
        return ended && failure == null;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                if (!ended) {
                    cancel();
                }
            } finally {
                onClose.run();
            }
        }
    }
}
