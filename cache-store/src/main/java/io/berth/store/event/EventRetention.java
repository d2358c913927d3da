package io.berth.store.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes events (or rows that follow them, such as audit lines) older than the retention setting. Each batch is its own short transaction, so
 * a large backlog never holds locks or a huge transaction, and writers are never blocked (the
 * outbox lock is the counter row, which this does not touch). A consumer whose cursor is behind
 * what was deleted continues from the oldest event kept, and logs how many it missed. Safe to run
 * on several instances at once.
 */
public final class EventRetention {
    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);
    private static final int BATCH = 1000;

    /** Deletes up to {@code limit} of the oldest rows from before {@code cutoff}, returning how many. */
    @FunctionalInterface
    public interface OlderThan {
        int delete(Instant cutoff, int limit);
    }

    private final String what;
    private final OlderThan deleter;
    private final Duration retention;
    private final Clock clock;
    private final int batchSize;

    /** Keeps events for {@code retention}, which must be positive. */
    public EventRetention(EventLog log, Duration retention, Clock clock) {
        this("events", log::deleteOlderThan, retention, clock, BATCH);
    }

    /**
     * Keeps other time-ordered rows that follow the events (the audit log) for {@code retention}.
     *
     * @param what what the rows are, for the log line
     */
    public EventRetention(String what, OlderThan deleter, Duration retention, Clock clock) {
        this(what, deleter, retention, clock, BATCH);
    }

    EventRetention(EventLog log, Duration retention, Clock clock, int batchSize) {
        this("events", log::deleteOlderThan, retention, clock, batchSize);
    }

    private EventRetention(String what, OlderThan deleter, Duration retention, Clock clock, int batchSize) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException(what + " retention must be positive, not " + retention);
        }
        this.what = what;
        this.deleter = deleter;
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
            batch = deleter.delete(cutoff, batchSize);
            deleted += batch;
        } while (batch == batchSize);
        if (deleted > 0) {
            LOG.info("deleted {} {} older than {}", deleted, what, retention);
        }
        return deleted;
    }
}
