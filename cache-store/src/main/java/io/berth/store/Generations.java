package io.berth.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A change counter per key, so a cache filled from the database never keeps what a concurrent
 * write just replaced: a reader notes the generation before its query and caches the result
 * only if the generation is unchanged afterwards; a writer bumps it after committing.
 */
final class Generations {
    private final ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();

    /** The current generation; keys never written are at 0 and take no memory. */
    long current(String key) {
        AtomicLong counter = counters.get(key);
        return counter == null ? 0 : counter.get();
    }

    /** Marks a change; call after the change is committed, before invalidating caches. */
    void bump(String key) {
        counters.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }
}
