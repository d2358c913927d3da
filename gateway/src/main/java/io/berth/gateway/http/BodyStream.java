package io.berth.gateway.http;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A request body handed from the event loop to one consumer thread, chunk by chunk as it
 * arrives, never aggregated. When the consumer falls behind by more than {@link #HIGH_WATER}
 * bytes, reading from the socket pauses until it has caught up to {@link #LOW_WATER}. Each chunk's
 * bytes go back to the server's body memory budget when the consumer takes it, or when the stream
 * is closed with the chunk still queued.
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
    private final LongConsumer freed;
    private volatile boolean closed;
    private long received;
    private boolean finished;

    /** How a stream asks its connection to stop and resume reading. */
    interface Backpressure {
        /** Called on the event loop. */
        void pause();

        /** Called from the consumer thread. */
        void resume();
    }

    /**
     * @param freed told how many bytes of chunks left memory accounting (taken or dropped)
     */
    BodyStream(Backpressure backpressure, LongConsumer freed) {
        this.backpressure = backpressure;
        this.freed = freed;
    }

    /** Event loop: a chunk arrived; the stream takes ownership of {@code chunk}. */
    void offer(ByteBuf chunk) {
        if (closed) {
            drop(chunk);
            return;
        }
        long now = queued.addAndGet(chunk.readableBytes());
        put(chunk);
        if (closed) {
            dropQueued(); // closed meanwhile by the consumer, which will not take it any more
            return;
        }
        if (now > HIGH_WATER) {
            backpressure.pause();
        }
    }

    /** Event loop: the body is complete. */
    void end() {
        put(END);
    }

    /**
     * Any thread: no more of the body will be read. The consumer, if it still reads, sees the body
     * as aborted; what is queued is released. Harmless once the consumer has read the end.
     */
    void close() {
        closed = true;
        put(ABORT);
        dropQueued();
    }

    private void put(Object item) {
        queue.add(item);
        available.release();
    }

    private void dropQueued() {
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof ByteBuf chunk) {
                queued.addAndGet(-chunk.readableBytes());
                drop(chunk);
            }
        }
    }

    private void drop(ByteBuf chunk) {
        int bytes = chunk.readableBytes();
        chunk.release();
        freed.accept(bytes);
    }

    /**
     * The next chunk, which the caller must release, or null at the end of the body.
     *
     * @throws BodyAbortedException when the client went away before sending the whole body, or the
     *                              request was answered or timed out before it arrived
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
        if (item == ABORT || item == null) { // null: close() dropped the item this permit was for
            finished = true;
            throw new BodyAbortedException("the request body was not received whole");
        }
        ByteBuf chunk = (ByteBuf) item;
        int bytes = chunk.readableBytes();
        freed.accept(bytes);
        long before = queued.getAndAdd(-bytes);
        if (before > LOW_WATER && before - bytes <= LOW_WATER) {
            backpressure.resume();
        }
        received += bytes;
        return chunk;
    }

    /** Bytes handed out by {@link #next()} so far. */
    public long received() {
        return received;
    }

    /** Reads and drops the rest of the body; false when it was not received whole. */
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

    /** The body will not arrive whole: the client went away, or the request was answered without it. */
    public static final class BodyAbortedException extends Exception {
        private static final long serialVersionUID = 1L;

        BodyAbortedException(String message) {
            super(message, null, false, false);
        }
    }
}
