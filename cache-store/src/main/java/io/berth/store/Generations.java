package io.berth.store;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Change counters, so a cache filled from the database never keeps what a concurrent write just
 * replaced: a reader notes the generation of its key before its query and caches the result only
 * if the generation is unchanged afterwards; a writer bumps it after committing.
 *
 * <p>Keys share a fixed set of counters (by hash), so memory stays the same however many keys a
 * client invents. Two keys on one counter only cost a skipped cache fill now and then: a bump of
 * one looks like a change of the other to a reader that raced with it.
 */
final class Generations {
    private static final int STRIPES = 4096; // a power of two

    private final AtomicLongArray counters = new AtomicLongArray(STRIPES);

    /** The current generation of {@code key}. */
    long current(String key) {
        return counters.get(stripe(key));
    }

    /** Marks a change; call after the change is committed, before invalidating caches. */
    void bump(String key) {
        counters.incrementAndGet(stripe(key));
    }

    private static int stripe(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
