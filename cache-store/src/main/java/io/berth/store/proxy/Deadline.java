package io.berth.store.proxy;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * When a request must be answered at the latest: the proxy waits on its upstream until then and
 * no longer, then answers from its cache or fails fast, so that dockerd and containerd move on to
 * their next endpoint instead of hanging. The work waited on goes on in the background.
 */
final class Deadline {
    private final long endNanos;
    private final Duration budget;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    /** A deadline {@code budget} from now. */
    static Deadline in(Duration budget) {
        return new Deadline(budget);
    }

    /** What is left of the time allowed, in nanoseconds; zero or less once it passed. */
    long remainingNanos() {
        return endNanos - System.nanoTime();
    }

    /** The whole time allowed, for messages. */
    Duration budget() {
        return budget;
    }

    /**
     * The future's value, waiting no later than the deadline.
     *
     * @throws TimeoutException when the deadline passed first (the work goes on)
     * @throws Exception        what the work failed with, unwrapped
     */
    <V> V await(CompletableFuture<V> future) throws Exception {
        try {
            return future.get(Math.max(0, remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (CancellationException e) {
            throw new TimeoutException("the work was cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting on the upstream");
            interrupted.initCause(e);
            throw interrupted;
        }
    }
}
