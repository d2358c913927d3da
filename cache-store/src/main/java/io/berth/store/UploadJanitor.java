package io.berth.store;

import io.berth.store.blob.StoragePaths;
import io.berth.store.blob.UploadSessions;
import io.berth.store.meta.Transactions;
import io.berth.store.meta.UploadDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Removes what abandoned uploads leave behind: sessions idle longer than the expiry (folder and
 * database row), rows whose folder is gone, and stray temporary files.
 */
public final class UploadJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(UploadJanitor.class);

    private final Transactions tx;
    private final UploadSessions sessions;
    private final StoragePaths paths;
    private final Duration expiry;
    private final Clock clock;

    public UploadJanitor(Transactions tx, UploadSessions sessions, StoragePaths paths, Duration expiry, Clock clock) {
        this.tx = tx;
        this.sessions = sessions;
        this.paths = paths;
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
            if (!Files.exists(paths.upload(id))) {
                tx.useTransaction(h -> h.attach(UploadDao.class).delete(id));
            }
        }
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(paths.tmp())) {
            for (Path file : tmp) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                }
            }
        }
        if (removed > 0) {
            LOG.info("removed {} upload sessions idle for more than {}", removed, expiry);
        }
        return removed;
    }
}
