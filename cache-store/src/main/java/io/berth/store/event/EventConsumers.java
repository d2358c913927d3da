package io.berth.store.event;

import io.berth.store.meta.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs {@link EventConsumer}s: each on its own virtual thread, reading the outbox after its
 * durable cursor, so it resumes where it stopped after a restart. Several instances over one
 * PostgreSQL database may register the same consumers: a lease in the consumer's cursor row lets
 * one instance at a time process it, and another takes over when that lease expires (the holder
 * died or hangs). Delivery is at least once (see {@link EventConsumer}).
 *
 * <p>Consumers poll every {@link Options#pollInterval}; {@link #wakeUp} (e.g. from
 * {@link Outbox#onCommit}) makes the local ones look at once. A consumer that throws gets the
 * same batch again after a back-off that doubles up to a minute.
 */
public final class EventConsumers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventConsumers.class);
    /** How long {@link #close} waits for a consumer stuck in {@code accept} once interrupted. */
    private static final Duration INTERRUPTED_GRACE = Duration.ofSeconds(1);

    /**
     * How consumers run.
     *
     * @param instanceId   this instance's name in the leases it holds (at most 64 characters); unique per process
     * @param pollInterval how often an idle consumer looks for new events, or for a lease to take over
     * @param lease        how long a claim lasts without renewal: a batch must be handled well within it
     * @param batchSize    the most events handed to one {@code accept}
     * @param retryBackoff the first wait after a failure; doubled on each failure in a row
     * @param closeTimeout how long {@link #close} waits for consumers to finish their batch
     */
    public record Options(String instanceId, Duration pollInterval, Duration lease, int batchSize,
                          Duration retryBackoff, Duration closeTimeout) {
        public Options {
            if (instanceId.isEmpty() || instanceId.length() > 64) {
                throw new IllegalArgumentException("instance id must be 1 to 64 characters: " + instanceId);
            }
            if (pollInterval.isNegative() || pollInterval.isZero() || lease.compareTo(pollInterval) <= 0
                    || batchSize < 1 || retryBackoff.isNegative() || retryBackoff.isZero() || closeTimeout.isNegative()) {
                throw new IllegalArgumentException("event consumer options need positive intervals, a lease longer"
                        + " than the poll interval and a batch size of at least 1: " + this);
            }
        }

        /** Poll every 500 ms, 30 s leases, 100 events a batch, 1 s first back-off, 10 s to close. */
        public static Options defaults() {
            return new Options("berth-" + UUID.randomUUID(), Duration.ofMillis(500), Duration.ofSeconds(30), 100,
                    Duration.ofSeconds(1), Duration.ofSeconds(10));
        }
    }

    private final EventLog log;
    private final EventCursors cursors;
    private final Clock clock;
    private final Options options;
    private final List<ConsumerLoop> loops = new CopyOnWriteArrayList<>();
    private boolean closed;

    public EventConsumers(Transactions tx, Clock clock, Options options) {
        this.log = new EventLog(tx);
        this.cursors = new EventCursors(tx);
        this.clock = clock;
        this.options = options;
    }

    /** Starts running {@code consumer}; its name must be unique among this runner's consumers. */
    public synchronized void register(EventConsumer consumer) {
        String name = Objects.requireNonNull(consumer.name(), "name");
        if (closed) {
            throw new IllegalStateException("event consumers are closed; cannot start " + name);
        }
        if (name.isEmpty() || name.length() > 128 || loops.stream().anyMatch(l -> l.name().equals(name))) {
            throw new IllegalArgumentException("event consumer names must be 1 to 128 characters and unique: " + name);
        }
        ConsumerLoop loop = new ConsumerLoop(consumer, log, cursors, clock, options);
        loops.add(loop);
        loop.start();
    }

    /** New events were committed: local consumers look now instead of at their next poll. Never blocks. */
    public void wakeUp() {
        for (ConsumerLoop loop : loops) {
            loop.wakeUp();
        }
    }

    /**
     * Stops every consumer and releases its lease, so another instance can take over at once.
     * Waits up to {@link Options#closeTimeout} for batches in progress; then interrupts the
     * consumers still in {@code accept} (their batch comes again later) and gives up on them.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        loops.forEach(ConsumerLoop::stop);
        long deadline = System.nanoTime() + options.closeTimeout().toNanos();
        try {
            for (ConsumerLoop loop : loops) {
                if (!loop.join(Duration.ofNanos(deadline - System.nanoTime()))) {
                    loop.interrupt();
                    if (!loop.join(INTERRUPTED_GRACE)) {
                        LOG.warn("event consumer {} did not stop within {}; its lease expires by itself",
                                loop.name(), options.closeTimeout());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
