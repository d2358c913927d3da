package io.berth.sync.execution;

import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A token bucket shared by every push of one execution: {@link #accept} blocks until the bytes
 * about to be sent fit the policy's bandwidth limit (a quarter second of burst). It waits in short
 * slices and returns early once the execution is stopped, so that a stop is seen within a second
 * even at a few KiB/s (the push then stops at its next piece).
 */
final class BandwidthLimit implements LongConsumer {
    private static final long BURST_NANOS = 250_000_000L;
    private static final long SLICE_MILLIS = 200;

    private final double nanosPerByte;
    private final BooleanSupplier stopped;
    private long nextFree = System.nanoTime();

    /** @param bytesPerSecond the limit, positive */
    BandwidthLimit(long bytesPerSecond, BooleanSupplier stopped) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("a bandwidth limit must be positive, not " + bytesPerSecond);
        }
        this.nanosPerByte = 1e9 / bytesPerSecond;
        this.stopped = stopped;
    }

    @Override
    public void accept(long bytes) {
        long due;
        synchronized (this) {
            long now = System.nanoTime();
            nextFree = Math.max(nextFree, now - BURST_NANOS) + (long) (bytes * nanosPerByte);
            due = nextFree - BURST_NANOS;
        }
        try {
            for (long wait = due - System.nanoTime(); wait > 0 && !stopped.getAsBoolean();
                 wait = due - System.nanoTime()) {
                Thread.sleep(Math.min(SLICE_MILLIS, Math.max(1, wait / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
