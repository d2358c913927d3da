package io.berth.store.proxy;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Single flight: concurrent callers of the same key share one run of the work, which runs on the
 * executor, not tied to any caller, so it finishes (and its result is kept in the store) even when
 * every caller stopped waiting. A run is forgotten once its result is set: later callers start anew.
 */
final class Flights<K, V> {
    private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();
    private final Executor executor;

    Flights(Executor executor) {
        this.executor = executor;
    }

    /** The running work of {@code key}, or {@code work} started now when none runs. */
    CompletableFuture<V> join(K key, Callable<V> work) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> existing = running.putIfAbsent(key, mine);
        if (existing != null) {
            return existing;
        }
        try {
            executor.execute(() -> {
                try {
                    mine.complete(work.call());
                } catch (Throwable t) {
                    mine.completeExceptionally(t);
                } finally {
                    // After completing: a caller arriving in between joins a finished run, never starts a second.
                    running.remove(key, mine);
                }
            });
        } catch (RejectedExecutionException e) {
            running.remove(key, mine);
            mine.completeExceptionally(e);
        }
        return mine;
    }

    /** How many runs are in progress. */
    int inFlight() {
        return running.size();
    }
}
