package io.berth.store.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One consumer's loop on its own virtual thread: claim the lease, read a batch after the cursor,
 * hand it over, advance the cursor; wait when there is nothing to do or another instance holds
 * the lease. Waits are {@link LockSupport#parkNanos} so that {@link #wakeUp} (an unpark) ends
 * them at once; a wake-up that comes while the loop works is remembered in a flag, since the
 * loop's own blocking I/O (JDBC on a virtual thread parks too) may consume the unpark.
 */
final class ConsumerLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final EventConsumer consumer;
    private final EventLog log;
    private final EventCursors cursors;
    private final Clock clock;
    private final EventConsumers.Options options;
    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicBoolean wokenUp = new AtomicBoolean();
    private int failures;

    ConsumerLoop(EventConsumer consumer, EventLog log, EventCursors cursors, Clock clock,
                 EventConsumers.Options options) {
        this.consumer = consumer;
        this.log = log;
        this.cursors = cursors;
        this.clock = clock;
        this.options = options;
        this.thread = Thread.ofVirtual().name("berth-events-" + consumer.name()).unstarted(this);
    }

    String name() {
        return consumer.name();
    }

    void start() {
        thread.start();
    }

    void wakeUp() {
        wokenUp.set(true);
        LockSupport.unpark(thread);
    }

    void stop() {
        running = false;
        wakeUp();
    }

    /** Waits up to {@code timeout} for the loop to end; whether it did. */
    boolean join(Duration timeout) throws InterruptedException {
        return thread.join(timeout.isNegative() ? Duration.ZERO : timeout);
    }

    /** For a consumer stuck in {@code accept} at shutdown. */
    void interrupt() {
        thread.interrupt();
    }

    @Override
    public void run() {
        String name = consumer.name();
        boolean created = false;
        while (active()) {
            try {
                if (!created) {
                    long start = consumer.start() == EventConsumer.Start.BEGINNING ? 0 : log.head();
                    cursors.create(name, start, clock.instant());
                    created = true;
                }
                step(name);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // The database is unreachable or refused: nothing was acknowledged, so try again later.
                failures++;
                LOG.warn("event consumer {} cannot read or move its cursor; retrying", name, e);
                backOff();
            }
        }
        Thread.interrupted(); // a JDBC call on an interrupted virtual thread would close its socket
        try {
            cursors.release(name, options.instanceId());
        } catch (RuntimeException e) {
            LOG.warn("event consumer {} could not release its lease; it expires by itself", name, e);
        }
    }

    private void step(String name) throws InterruptedException {
        Instant now = clock.instant();
        OptionalLong claimed = cursors.claim(name, options.instanceId(), now, now.plus(options.lease()));
        if (claimed.isEmpty()) {
            idle(); // another instance holds the lease
            return;
        }
        long position = claimed.getAsLong();
        List<RegistryEvent> batch = log.after(position, options.batchSize());
        if (batch.isEmpty()) {
            failures = 0;
            idle();
            return;
        }
        long last = batch.getLast().id();
        long missed = last - position - batch.size();
        if (missed > 0) {
            // Ids are dense, so a gap is events that retention deleted before this consumer read them.
            LOG.warn("event consumer {} missed {} events between {} and {}: retention deleted them before it"
                    + " read them; it continues from the oldest kept", name, missed, position, last);
        }
        try {
            consumer.accept(batch);
        } catch (InterruptedException e) {
            throw e;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // a consumer's bug (an assertion, a missing class) must not end its loop
            failures++;
            LOG.warn("event consumer {} failed on events {}..{} (attempt {}); the same batch comes again",
                    name, batch.getFirst().id(), last, failures, e);
            backOff();
            return;
        }
        failures = 0;
        Instant done = clock.instant();
        if (!cursors.advance(name, options.instanceId(), last, done, done.plus(options.lease()))) {
            LOG.warn("event consumer {} lost its lease while handling events {}..{}: another instance took over"
                    + " and delivers them again", name, batch.getFirst().id(), last);
        }
    }

    private boolean active() {
        return running && !Thread.currentThread().isInterrupted();
    }

    /** Waits for the poll interval, unless a wake-up came since the last wait (then at most one extra poll). */
    private void idle() {
        if (!wokenUp.getAndSet(false)) {
            LockSupport.parkNanos(this, options.pollInterval().toNanos());
        }
    }

    /** Waits longer after each failure in a row; a wake-up does not shorten it, a stop does. */
    private void backOff() {
        long base = options.retryBackoff().toNanos();
        long delay = Math.min(base << Math.min(failures - 1, 16), Math.max(base, MAX_BACKOFF.toNanos()));
        long deadline = System.nanoTime() + delay;
        for (long left = delay; left > 0 && active(); left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }
}
