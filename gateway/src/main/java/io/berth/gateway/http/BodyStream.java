package io.berth.gateway.http;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body handed from the event loop to one consumer thread, chunk by chunk as it
 * arrives, never aggregated. When the consumer falls behind by more than {@link #HIGH_WATER}
 * bytes, reading from the socket pauses until it has caught up to {@link #LOW_WATER}.
 */
public final class BodyStream {
    static final long HIGH_WATER = 8L << 20;
    static final long LOW_WATER = 2L << 20;

    private static final Object END = new Object();
    private static final Object ABORT = new Object();

    // A blocking queue's locks are shared with the consumer, so the event loop could park on
    // them: the queue is lock-free, and a semaphore (whose release never parks) wakes the reader.
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore available = new Semaphore(0);
    private final AtomicLong queued = new AtomicLong();
    private final Backpressure backpressure;
    private long received;
    private boolean finished;

    /** How a stream asks its connection to stop and resume reading. */
    interface Backpressure {
        /** Called on the event loop. */
        void pause();

        /** Called from the consumer thread. */
        void resume();
    }

    BodyStream(Backpressure backpressure) {
        this.backpressure = backpressure;
    }

    /** Event loop: a chunk arrived; the stream takes ownership of {@code chunk}. */
    void offer(ByteBuf chunk) {
        long now = queued.addAndGet(chunk.readableBytes());
        put(chunk);
        if (now > HIGH_WATER) {
            backpressure.pause();
        }
    }

    /** Event loop: the body is complete. */
    void end() {
        put(END);
    }

    /** Event loop: the connection closed before the body was complete. */
    void abort() {
        put(ABORT);
    }

    private void put(Object item) {
        queue.add(item);
        available.release();
    }

    /**
     * The next chunk, which the caller must release, or null at the end of the body.
     *
     * @throws BodyAbortedException when the client went away before sending the whole body
     */
    public ByteBuf next() throws BodyAbortedException {
        if (finished) {
            return null;
        }
        Object item;
        try {
            available.acquire();
            item = queue.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BodyAbortedException("interrupted while reading the request body");
        }
        if (item == END) {
            finished = true;
            return null;
        }
        if (item == ABORT) {
            finished = true;
            throw new BodyAbortedException("the client closed the connection before sending the whole body");
        }
        ByteBuf chunk = (ByteBuf) item;
        long before = queued.getAndAdd(-chunk.readableBytes());
        if (before > LOW_WATER && before - chunk.readableBytes() <= LOW_WATER) {
            backpressure.resume();
        }
        received += chunk.readableBytes();
        return chunk;
    }

    /** Bytes handed out by {@link #next()} so far. */
    public long received() {
        return received;
    }

    /** Reads and drops the rest of the body; false when the client went away. */
    public boolean drain() {
        try {
            ByteBuf chunk;
            while ((chunk = next()) != null) {
                chunk.release();
            }
            return true;
        } catch (BodyAbortedException e) {
            return false;
        }
    }

    /** The client went away before the whole body arrived. */
    public static final class BodyAbortedException extends Exception {
        private static final long serialVersionUID = 1L;

        BodyAbortedException(String message) {
            super(message, null, false, false);
        }
    }
}
