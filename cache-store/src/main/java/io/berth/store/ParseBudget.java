package io.berth.store;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the heap that manifests being parsed may take together. A manifest's JSON tree costs many
 * times its bytes (a 4 MiB manifest of tiny annotations makes a tree of some 60 MiB), and the
 * gateway's body budget counts only the bytes: without this, a few clients pushing such manifests
 * at once could exhaust the heap. Each parse reserves {@link #COST_PER_BYTE} times its size (at
 * least {@link #MIN_COST}); when the budget is taken it waits briefly, then refuses with 503
 * {@code UNAVAILABLE} and a {@code Retry-After}.
 */
final class ParseBudget {
    /** Heap a parse is assumed to take per byte of manifest: the tree, the copies, the annotations text. */
    static final int COST_PER_BYTE = 16;
    static final int MIN_COST = 64 << 10;
    private static final Duration MAX_WAIT = Duration.ofSeconds(2);

    private final Semaphore kibibytes;
    private final int capacity;

    /** A budget of {@code bytes} (rounded to KiB). */
    ParseBudget(long bytes) {
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes >> 10));
        this.kibibytes = new Semaphore(capacity, true);
    }

    /** A quarter of the heap. */
    static ParseBudget ofHeap() {
        return new ParseBudget(Runtime.getRuntime().maxMemory() / 4);
    }

    /** Reserves the heap to parse {@code length} bytes; close the permit when the parse is done. */
    Permit reserve(int length) {
        int cost = (int) Math.min(capacity, Math.max(MIN_COST, (long) length * COST_PER_BYTE) >> 10);
        try {
            if (!kibibytes.tryAcquire(cost, MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        }
        return () -> kibibytes.release(cost);
    }

    private static RegistryException busy() {
        return RegistryException.retryLater(ErrorCode.UNAVAILABLE, "the registry is busy reading other large"
                + " manifests; retry in a moment", Duration.ofSeconds(1));
    }

    /** Heap reserved for one parse. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }
}
