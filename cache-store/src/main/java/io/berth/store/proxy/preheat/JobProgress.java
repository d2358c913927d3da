package io.berth.store.proxy.preheat;

import io.berth.store.meta.Transactions;

import java.time.Clock;

/**
 * What one running job writes as it goes: its start, its totals as it finds them, what it cached,
 * each item's outcome, and its end. Each write is a short transaction of its own, so the job's
 * {@code GET} shows progress while it runs; a write that finds the job no longer this instance's
 * (another instance failed it as abandoned) changes nothing.
 */
final class JobProgress {
    /** The longest error text kept (the columns hold 2048 characters). */
    static final int MAX_ERROR = 2000;

    private final Transactions tx;
    private final long jobId;
    private final String owner;
    private final Clock clock;

    JobProgress(Transactions tx, long jobId, String owner, Clock clock) {
        this.tx = tx;
        this.jobId = jobId;
        this.owner = owner;
        this.clock = clock;
    }

    long jobId() {
        return jobId;
    }

    /** Marks the job running; false when it is no longer queued for this instance (do not run it). */
    boolean start() {
        return tx.inTransaction(h -> h.attach(PreheatDao.class).start(jobId, owner, clock.instant())) == 1;
    }

    void found(int manifests, int blobs, long bytes) {
        if (manifests != 0 || blobs != 0 || bytes != 0) {
            tx.inTransaction(h -> h.attach(PreheatDao.class).addTotal(jobId, owner, manifests, blobs, bytes));
        }
    }

    void cached(int references, int manifests, int blobs, long bytes) {
        tx.inTransaction(h -> h.attach(PreheatDao.class).addDone(jobId, owner, references, manifests, blobs, bytes));
    }

    void item(int ordinal, PreheatStatus status, String digest, String error) {
        tx.inTransaction(h -> h.attach(PreheatDao.class).updateItem(jobId, ordinal, status.wireName(), digest,
                clip(error)));
    }

    void finish(PreheatStatus status, String error) {
        tx.inTransaction(h -> h.attach(PreheatDao.class).finish(jobId, owner, status.wireName(), clip(error),
                clock.instant()));
    }

    static String clip(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    }
}
