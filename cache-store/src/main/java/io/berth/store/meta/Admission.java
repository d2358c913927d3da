package io.berth.store.meta;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the database work in flight and the work queued in front of it. Requests run on virtual
 * threads, so nothing else limits how many wait for a pooled connection: under load they would
 * pile up until the pool's own timeout failed each with an internal error. Here at most
 * {@code concurrency} units run at once (the pool's size), at most {@code queue} wait, each for at
 * most {@code maxWait}; anything beyond is refused at once with 503 {@code UNAVAILABLE} and a
 * {@code Retry-After}, which clients such as docker and containerd retry.
 */
public final class Admission {
    private final Semaphore permits;
    private final int queue;
    private final Duration maxWait;
    private final AtomicInteger waiting = new AtomicInteger();

    public Admission(int concurrency, int queue, Duration maxWait) {
        if (concurrency < 1 || queue < 0) {
            throw new IllegalArgumentException("concurrency must be at least 1 and the queue not negative");
        }
        this.permits = new Semaphore(concurrency, true);
        this.queue = queue;
        this.maxWait = maxWait;
    }

    /** No bound: for tools and tests that own the database alone. */
    public static Admission unbounded() {
        return new Admission(Integer.MAX_VALUE, 0, Duration.ZERO);
    }

    /** Runs {@code work} once admitted; fails with UNAVAILABLE when it cannot be admitted in time. */
    public <T> T run(Supplier<T> work) {
        if (!permits.tryAcquire()) {
            await();
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }

    private void await() {
        if (waiting.incrementAndGet() > queue) {
            waiting.decrementAndGet();
            throw busy();
        }
        try {
            if (!permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Units of work waiting for admission now, for metrics. */
    public int waiting() {
        return waiting.get();
    }

    static RegistryException busy() {
        return RegistryException.retryLater(ErrorCode.UNAVAILABLE, "the registry is busy: all its database"
                + " connections are in use and too many requests wait for one; retry in a moment", Duration.ofSeconds(1));
    }
}
