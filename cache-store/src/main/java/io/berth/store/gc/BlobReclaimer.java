package io.berth.store.gc;

import io.berth.store.blob.BlobStore;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Removes blobs nothing references any more, in two steps, safely while pushes, pulls, proxy cache
 * fills and mounts of the same digests run, in this process and in others on the same database.
 *
 * <p><b>Step 1, the row</b> ({@link #releaseUnused}): in one transaction, lock the blob's row, check
 * that no repository links it, no artifact is it and no artifact references it, then delete the row
 * and write a tombstone. <b>Step 2, the content</b> ({@link #sweep}, later): for a tombstone older
 * than the grace period whose digest has no row again, {@link BlobStore#deleteUnlessWritten} removes
 * the content unless it was written within the grace period, asking once more, with the content out
 * of writers' reach, that no row exists; then the tombstone goes.
 *
 * <p><b>What writers do</b> (the rules this relies on): (W1) before a transaction records a blob as
 * present it writes the content or refreshes it ({@link BlobStore#refresh}), which leaves the content
 * with a write time no earlier than that, or writes it anew if a deletion took it away; (W2) a
 * transaction that records a blob row or points a row at a blob (a link, an artifact) locks the
 * blob's row first ({@code BlobDao.record}, {@code BlobDao.link}); (W3) a writer commits within the
 * grace period of its write (seconds in practice; the default grace is an hour).
 *
 * <p><b>Why no interleaving leaves a row pointing at missing content.</b> The invariant is: while a
 * blob row exists, its content exists. Content is removed only in step 2, so take a row R that
 * exists after step 2 removed content C of the same digest. R was committed either before or after
 * step 2's last check that no row exists.
 * <ul>
 *   <li>Before: impossible, the check would have seen it and kept C.</li>
 *   <li>After: R's writer (any writer that creates a blob row, by W1) wrote or refreshed the content
 *       at some time t. If t came after step 2 took C away from its name, the writer found nothing
 *       under the name and wrote a new copy, which step 2 never touches: R points at that copy. If t
 *       came before, the refresh shows in C's write time, which step 2 reads after taking C away: C
 *       was removed only if t is before the cutoff (now minus the grace period), so R's writer took
 *       longer than the grace period between writing and committing, against W3.</li>
 * </ul>
 * Links and artifacts point at rows, not at content, so they add one more case: a row deleted in step
 * 1 while a transaction inserts a link to it. By W2 the two take the same row lock. If step 1 locks
 * first, the writer waits, finds the row gone and its insert fails on the foreign key (a mount then
 * finds nothing to mount; a writer with content records the row again, and step 2 keeps the content
 * by the argument above). If the writer locks first, step 1 waits and then sees its link. (Foreign
 * keys alone would do on PostgreSQL; H2 checks them against committed rows only.)
 *
 * <p><b>Readers</b> resolve a row, then open the content: the grace period between the tombstone and
 * the removal lets a reader that saw the row before step 1 open it, and an open file stays readable
 * after its removal. A reader that resolves a row committed within the instant between step 2's
 * rename and its put-back finds the content missing once, and asks again.
 *
 * <p><b>Crashes</b>: step 1 is one transaction. Step 2 leaves content either in place, taken aside
 * (put back by {@link BlobStore#recoverDeletions} at the start of the next sweep) or removed with
 * its tombstone still there (removed again: nothing to do). One process sweeps at a time (a
 * {@link TaskLease}); one that stalled past its lease and goes on only removes what it took aside
 * itself (each attempt takes content under a name of its own), which a recovery by the process that
 * took the lease over may have put back: content without a row then stays, which is harmless.
 * Releasing rows needs no lease.
 *
 * <p>Write times come from the clocks of whoever writes (the file system's or the process's);
 * instances sharing storage must keep their clocks within a small part of the grace period.
 */
public final class BlobReclaimer {
    private static final Logger LOG = LoggerFactory.getLogger(BlobReclaimer.class);
    private static final int BATCH = 500;

    private final Transactions tx;
    private final BlobStore store;
    private final Duration grace;
    private final Clock clock;
    /** Runs inside step 1's transaction after a row's deletion: a seam for tests of interleavings. */
    private final Consumer<String> beforeCommit;

    /**
     * @param grace how long content stays after its row was deleted, and how recent a write keeps it
     */
    public BlobReclaimer(Transactions tx, BlobStore store, Duration grace, Clock clock) {
        this(tx, store, grace, clock, digest -> {
        });
    }

    BlobReclaimer(Transactions tx, BlobStore store, Duration grace, Clock clock, Consumer<String> beforeCommit) {
        this.beforeCommit = beforeCommit;
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("the grace period of blob deletion must be positive, not " + grace);
        }
        this.tx = tx;
        this.store = store;
        this.grace = grace;
        this.clock = clock;
    }

    /** What {@link #releaseUnused} released: rows deleted (tombstones written) and their bytes. */
    public record Released(int blobs, long bytes) {
    }

    /** What a {@link #sweep} did with the tombstones it found old enough. */
    public record Swept(int deleted, int inUseAgain, int writtenRecently, int absent) {
    }

    /**
     * Step 1: deletes the rows of those of {@code digests} that nothing references, each in its own
     * short transaction, and leaves a tombstone for each; their content stays until a {@link #sweep}
     * after the grace period.
     */
    public Released releaseUnused(Collection<String> digests) {
        int blobs = 0;
        long bytes = 0;
        for (String digest : new TreeSet<>(digests)) {
            Optional<Long> released = tx.inTransaction(h -> {
                ReclaimDao dao = h.attach(ReclaimDao.class);
                Optional<Long> size = dao.lockSize(digest);
                if (size.isEmpty() || dao.referenced(digest)) {
                    return Optional.<Long>empty();
                }
                dao.deleteRow(digest);
                dao.tombstone(digest, clock.instant());
                beforeCommit.accept(digest);
                return size;
            });
            if (released.isPresent()) {
                blobs++;
                bytes += released.get();
            }
        }
        return new Released(blobs, bytes);
    }

    /**
     * Step 2: removes the content of blobs whose rows were released more than the grace period ago
     * and not recorded again. Run it from one process at a time (hold a {@link TaskLease}).
     */
    public Swept sweep() throws IOException {
        return sweep(() -> true);
    }

    /** As {@link #sweep()}, stopping between batches once {@code keepGoing} says no (the lease was lost). */
    public Swept sweep(BooleanSupplier keepGoing) throws IOException {
        store.recoverDeletions();
        Instant cutoff = clock.instant().minus(grace);
        int deleted = 0;
        int inUse = 0;
        int recent = 0;
        int absent = 0;
        String after = "";
        List<String> batch;
        do {
            String from = after;
            batch = tx.withHandle(h -> h.attach(ReclaimDao.class).tombstonesBefore(cutoff, from, BATCH));
            for (String digest : batch) {
                after = digest;
                switch (sweepOne(digest, cutoff)) {
                    case DELETED -> deleted++;
                    case IN_USE -> inUse++;
                    case WRITTEN_SINCE -> recent++;
                    case ABSENT -> absent++;
                }
            }
        } while (batch.size() == BATCH && keepGoing.getAsBoolean());
        if (deleted + inUse + recent + absent > 0) {
            LOG.info("blob content removed: {}; recorded again: {}; written within {}, kept for now: {};"
                    + " already gone: {}", deleted, inUse, grace, recent, absent);
        }
        return new Swept(deleted, inUse, recent, absent);
    }

    private BlobStore.Deletion sweepOne(String digest, Instant cutoff) throws IOException {
        Optional<Digest> parsed = Digest.tryParse(digest);
        BlobStore.Deletion deletion;
        if (parsed.isEmpty()) {
            deletion = BlobStore.Deletion.ABSENT; // no blob the store could hold
        } else if (rowExists(digest)) {
            deletion = BlobStore.Deletion.IN_USE;
        } else {
            deletion = store.deleteUnlessWritten(parsed.get(), cutoff, () -> !rowExists(digest));
        }
        if (deletion != BlobStore.Deletion.WRITTEN_SINCE) {
            // Written recently without a row: a writer about to commit one, or one that failed (whose
            // content goes at a later sweep, once its write is older than the grace period).
            tx.useTransaction(h -> h.attach(ReclaimDao.class).forget(digest, cutoff));
        }
        return deletion;
    }

    private boolean rowExists(String digest) {
        return tx.withHandle(h -> h.attach(ReclaimDao.class).rowExists(digest));
    }
}
