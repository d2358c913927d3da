package io.berth.gateway.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The body timeout of one connection (slowloris): a body held in memory must arrive whole in
 * time, and a streamed one must not pause for longer than the timeout. Time during which the
 * server itself holds reading back (a slow consumer, no memory) does not count. One scheduled
 * check per period rather than one per chunk: progress only moves a deadline. Event loop only.
 */
final class BodyTimer {
    private final EventExecutor loop;
    private final long timeoutNanos;
    private final Runnable onTimeout;
    private ScheduledFuture<?> check;
    private long deadline;
    private boolean measuresPauses;
    private boolean paused;
    private boolean running;

    BodyTimer(EventExecutor loop, long timeoutNanos, Runnable onTimeout) {
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
        this.onTimeout = onTimeout;
    }

    /**
     * Starts timing a body.
     *
     * @param measuresPauses true: the timeout is for a pause between pieces; false: for the whole body
     */
    void start(boolean measuresPauses) {
        cancel();
        this.measuresPauses = measuresPauses;
        running = true;
        paused = false;
        deadline = System.nanoTime() + timeoutNanos;
        schedule(timeoutNanos);
    }

    /** A piece of the body arrived. */
    void progress() {
        if (running && measuresPauses) {
            deadline = System.nanoTime() + timeoutNanos;
        }
    }

    /** The server holds reading back (true) or reads again (false); a held-back time does not count. */
    void paused(boolean held) {
        if (!running || held == paused) {
            return;
        }
        paused = held;
        if (!held) {
            deadline = Math.max(deadline, System.nanoTime() + (measuresPauses ? timeoutNanos : 0));
            if (check == null) {
                schedule(Math.max(0, deadline - System.nanoTime()));
            }
        }
    }

    void cancel() {
        running = false;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void schedule(long delayNanos) {
        check = loop.schedule(this::fire, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void fire() {
        check = null;
        if (!running || paused) {
            return; // resuming schedules the next check
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        running = false;
        onTimeout.run();
    }
}
