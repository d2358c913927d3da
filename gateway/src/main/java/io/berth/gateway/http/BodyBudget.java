package io.berth.gateway.http;

import io.netty.util.internal.PlatformDependent;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all connections of a server together may hold in request bodies. Without it each
 * connection may hold a manifest (4 MiB) and each upload its stream's high-water mark (8 MiB), so
 * enough slow clients exhaust the direct memory every connection's reads come from.
 *
 * <p>Bodies collected whole (manifests) reserve their full size before the first byte is read,
 * from the whole capacity, and are refused (503) when it is not there: one that could stop half
 * way would hold its memory until others finish, and others could be waiting on it. Streamed
 * bodies (uploads) take their memory one read at a time, and only from the capacity less a
 * reserve: a connection may read only while it holds credit for a whole read, and waits (reading
 * paused) for memory otherwise. Uploads that hold everything they may therefore cannot keep
 * manifest pushes out.
 *
 * <p>Lock-free: event loops of every connection use it. Waiters are woken one per release, and a
 * woken waiter that gets memory wakes the next; a waiter enqueues itself and then tries once more,
 * so memory freed between its failed try and its enqueueing is never missed.
 */
final class BodyBudget {
    /** The most one socket read takes (the channels' receive buffer allocator is capped to it). */
    static final int READ_SIZE = 64 * 1024;

    private final long capacity;
    private final long streamLimit;
    private final AtomicLong used = new AtomicLong();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();

    /** Someone waiting for memory to be freed. */
    interface Waiter {
        /** Memory was freed: try again. Called from any thread; must not block. */
        void memoryFreed();
    }

    /**
     * @param capacity bytes that bodies together may hold
     * @param reserve  part of it that only bodies collected whole may use
     */
    BodyBudget(long capacity, long reserve) {
        if (reserve < 0 || capacity - reserve < 2L * READ_SIZE) {
            throw new IllegalArgumentException("body memory " + capacity + " with a reserve of " + reserve
                    + " leaves uploads less than two reads");
        }
        this.capacity = capacity;
        this.streamLimit = capacity - reserve;
    }

    /**
     * A budget of {@code capacity} bytes with a quarter, and at least one manifest of the largest
     * size, kept back for bodies collected whole: uploads can never starve manifest pushes.
     */
    static BodyBudget of(long capacity, long maxManifestSize) {
        return new BodyBudget(capacity, Math.max(capacity / 4, maxManifestSize));
    }

    /**
     * Half of the memory Netty allocates socket reads from: the direct memory limit when Netty
     * prefers direct buffers, else the heap (where other things live too, hence a quarter of it).
     */
    static long defaultCapacity() {
        return PlatformDependent.directBufferPreferred() ? PlatformDependent.maxDirectMemory() / 2
                : Runtime.getRuntime().maxMemory() / 4;
    }

    /**
     * Takes {@code bytes} if they are free.
     *
     * @param collected true for a body collected whole, which may use the reserve
     */
    boolean tryAcquire(long bytes, boolean collected) {
        long limit = collected ? capacity : streamLimit;
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /**
     * Counts bytes that are already in memory whether or not there was room: a read that came out
     * larger than the credit it was made with (TLS records straddle reads).
     */
    void charge(long bytes) {
        used.addAndGet(bytes);
    }

    /** Gives bytes back and wakes a waiter. */
    void release(long bytes) {
        if (bytes <= 0) {
            return;
        }
        used.addAndGet(-bytes);
        wakeOne();
    }

    /**
     * Queues a waiter to be told when memory is freed. The caller must try to acquire once more
     * afterwards: memory freed before it was queued woke no one.
     */
    void await(Waiter waiter) {
        waiting.incrementAndGet();
        waiters.add(waiter);
    }

    /** Tells the longest waiter, if any, that memory was freed. */
    void wakeOne() {
        Waiter next = waiters.poll();
        if (next != null) {
            waiting.decrementAndGet();
            next.memoryFreed();
        }
    }

    long used() {
        return used.get();
    }

    long capacity() {
        return capacity;
    }

    /** How many are queued for memory now (some may have got it since and will pass the wakeup on). */
    int waiting() {
        return waiting.get();
    }
}
