package io.berth.store.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes events older than the retention setting. Each batch is its own short transaction, so
 * a large backlog never holds locks or a huge transaction, and writers are never blocked (the
 * outbox lock is the counter row, which this does not touch). A consumer whose cursor is behind
 * what was deleted continues from the oldest event kept, and logs how many it missed. Safe to run
 * on several instances at once.
 */
public final class EventRetention {
    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);
    private static final int BATCH = 1000;

    private final EventLog log;
    private final Duration retention;
    private final Clock clock;
    private final int batchSize;

    /** Keeps events for {@code retention}, which must be positive. */
    public EventRetention(EventLog log, Duration retention, Clock clock) {
        this(log, retention, clock, BATCH);
    }

    EventRetention(EventLog log, Duration retention, Clock clock, int batchSize) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("event retention must be positive, not " + retention);
        }
        this.log = log;
        this.retention = retention;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** Deletes every event that occurred more than the retention ago; returns how many. */
    public long sweep() {
        Instant cutoff = clock.instant().minus(retention);
        long deleted = 0;
        int batch;
        do {
            batch = log.deleteOlderThan(cutoff, batchSize);
            deleted += batch;
        } while (batch == batchSize);
        if (deleted > 0) {
            LOG.info("deleted {} events older than {}", deleted, retention);
        }
        return deleted;
    }
}
