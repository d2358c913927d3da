package io.berth.store.proxy.preheat;

import java.util.Locale;

/** Where a preheat job, or one of its references, stands. */
public enum PreheatStatus {
    /** Waiting for a turn (jobs run a few at a time). */
    QUEUED,
    /** Being fetched. */
    RUNNING,
    /** Everything was fetched and is in the cache. */
    SUCCEEDED,
    /** Nothing could be fetched (a job: no reference succeeded, or the instance running it stopped). */
    FAILED,
    /** A job of which some references succeeded and some failed (its items say which and why). */
    PARTIAL;

    /** The status as the API and the database write it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PreheatStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Whether nothing more will change. */
    public boolean isFinished() {
        return this != QUEUED && this != RUNNING;
    }
}
