package io.berth.store.proxy;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Single flight: concurrent callers of the same key share one run of the work, which runs on the
 * executor, not tied to any caller, so it finishes (and its result is kept in the store) even when
 * every caller stopped waiting. A run is forgotten just before its result is set, so no caller is
 * handed a result older than its request; a caller arriving after that starts a new run, so work
 * should first look for what a run that just ended stored (and store what it got before it returns).
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
                V result;
                try {
                    result = work.call();
                } catch (Throwable t) {
                    running.remove(key, mine);
                    mine.completeExceptionally(t);
                    return;
                }
                running.remove(key, mine);
                mine.complete(result);
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
