package io.berth.store;

import io.berth.store.blob.BlobStore;
import io.berth.store.blob.UploadStore;
import io.berth.store.meta.Transactions;
import io.berth.store.meta.UploadDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Removes what abandoned uploads leave behind: sessions idle longer than the expiry (folder and
 * database row), rows whose session is gone, and what interrupted writes left in the blob store.
 */
public final class UploadJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(UploadJanitor.class);

    private final Transactions tx;
    private final UploadStore sessions;
    private final BlobStore blobs;
    private final Duration expiry;
    private final Clock clock;

    public UploadJanitor(Transactions tx, UploadStore sessions, BlobStore blobs, Duration expiry, Clock clock) {
        this.tx = tx;
        this.sessions = sessions;
        this.blobs = blobs;
        this.expiry = expiry;
        this.clock = clock;
    }

    /** Runs one sweep; returns how many sessions it removed. */
    public int sweep() throws IOException {
        Instant cutoff = clock.instant().minus(expiry);
        int removed = 0;
        for (String id : sessions.idleSince(cutoff)) {
            if (sessions.deleteIfIdle(id, cutoff)) {
                tx.useTransaction(h -> h.attach(UploadDao.class).delete(id));
                removed++;
            }
        }
        Set<String> rows = new HashSet<>(tx.withHandle(h -> h.attach(UploadDao.class).ids()));
        for (String id : rows) {
            if (!sessions.exists(id)) {
                tx.useTransaction(h -> h.attach(UploadDao.class).delete(id));
            }
        }
        blobs.sweep(cutoff);
        if (removed > 0) {
            LOG.info("removed {} upload sessions idle for more than {}", removed, expiry);
        }
        return removed;
    }
}
