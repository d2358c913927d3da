package io.berth.sync.execution;

import java.util.function.BooleanSupplier;

/**
 * Whether an execution was asked to stop: at once when the stop came through this instance, else
 * within about a second of it being written to the database by another (the flag is read again at
 * most once a second, however many pushes ask).
 */
final class StopSignal implements BooleanSupplier {
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final ExecutionStore store;
    private final long executionId;
    private volatile boolean stopped;
    private volatile long checkedAt = System.nanoTime();

    StopSignal(ExecutionStore store, long executionId) {
        this.store = store;
        this.executionId = executionId;
    }

    /** Stops it now (a stop through this instance, or Berth stopping). */
    void stop() {
        stopped = true;
    }

    @Override
    public boolean getAsBoolean() {
        if (stopped) {
            return true;
        }
        long now = System.nanoTime();
        if (now - checkedAt > RECHECK_NANOS) {
            checkedAt = now;
            try {
                if (store.stopRequested(executionId)) {
                    stopped = true;
                }
            } catch (RuntimeException e) {
                // the database is briefly unreachable: keep going, ask again in a second
            }
        }
        return stopped;
    }
}
