package io.berth.sync.copy;

import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamException.Kind;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A registry request sent on a virtual thread of its own while the caller sends another, so that
 * two independent round trips (the source's tag and the destination's, say) take the time of one.
 * A result not wanted any more is left to end on its own: interrupting a request would count as an
 * outage of the registry in its circuit breaker.
 */
final class Parallel {
    private Parallel() {
    }

    /** A request that may fail as a registry does. */
    @FunctionalInterface
    interface Request<T> {
        T send() throws UpstreamException;
    }

    /** Starts {@code request} now. */
    static <T> Future<T> start(Request<T> request) {
        FutureTask<T> task = new FutureTask<>(request::send);
        Thread.ofVirtual().name("berth-replication-request").start(task);
        return task;
    }

    /** The request's answer, or its failure as it was thrown. */
    static <T> T join(Future<T> started) throws UpstreamException {
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a registry's answer");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UpstreamException u) {
                throw u;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new UpstreamException(Kind.INVALID_RESPONSE, 0, null, "a registry request failed: " + cause, cause);
        }
    }
}
