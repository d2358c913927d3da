package io.berth.store.event;

import io.berth.store.Caller;
import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Records manifest pulls as {@link EventType#PULLED} events without touching the database on
 * the request path. {@link #record} runs on Netty event loops for every manifest GET, so it only
 * counts: identical pulls (repository, digest, tag, caller) share one pending entry, and one
 * daemon thread writes all pending entries every {@link Options#flushInterval} in one transaction,
 * each as a single event with its count, and notes when each artifact was last pulled. Pending entries are bounded: when
 * {@link Options#maxPending} distinct pulls wait, further distinct ones are dropped and counted
 * (identical ones still coalesce). Pending pulls live in memory only: a crash loses at most one
 * interval of them, and a flush that fails drops its batch (counted) rather than piling up.
 */
public final class PullRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PullRecorder.class);

    /**
     * @param flushInterval how often pending pulls are written
     * @param maxPending    the most distinct pulls held between two flushes
     */
    public record Options(Duration flushInterval, int maxPending) {
        public Options {
            if (flushInterval.isNegative() || flushInterval.isZero() || maxPending < 1) {
                throw new IllegalArgumentException("pull recorder needs a positive interval and size: " + this);
            }
        }

        /** A flush a second, up to 10,000 distinct pulls between flushes. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(1), 10_000);
        }
    }

    /** What makes two pulls the same event. Digest and names keep their cached hash codes. */
    private record PullKey(RepositoryName repository, Digest digest, String mediaType, String tag, Caller caller) {
    }

    /**
     * The count of one pending entry. The flusher first removes the entry from the map, then
     * seals the count (sets it negative): a recorder that still held the entry and finds it
     * sealed starts a new one, so no pull is counted twice or lost between the two.
     */
    private static final class Tally extends AtomicLong {
        final Instant first;

        Tally(Instant first) {
            super(1);
            this.first = first;
        }

        boolean add() {
            return getAndIncrement() >= 0;
        }

        long seal() {
            return getAndSet(Long.MIN_VALUE);
        }
    }

    private final Transactions tx;
    private final Outbox outbox;
    private final Clock clock;
    private final Options options;
    private final ConcurrentHashMap<PullKey, Tally> pending = new ConcurrentHashMap<>();
    private final LongAdder started = new LongAdder();
    private final LongAdder coalesced = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread flusher;
    private volatile boolean closed;

    /** Starts the flusher thread. */
    public PullRecorder(Transactions tx, Outbox outbox, Clock clock, Options options) {
        this.tx = tx;
        this.outbox = outbox;
        this.clock = clock;
        this.options = options;
        this.flusher = Thread.ofPlatform().name("berth-pull-recorder").daemon().start(this::flushPeriodically);
    }

    /** Counts one served manifest GET. Never blocks and never touches the database. */
    public void record(RepositoryName repository, Digest digest, String mediaType, String tag, Caller caller) {
        if (closed) {
            dropped.increment();
            return;
        }
        PullKey key = new PullKey(repository, digest, mediaType, tag, caller);
        while (true) {
            Tally tally = pending.get(key);
            if (tally == null) {
                if (pending.size() >= options.maxPending()) {
                    dropped.increment();
                    return;
                }
                tally = pending.putIfAbsent(key, new Tally(clock.instant()));
                if (tally == null) {
                    started.increment();
                    return;
                }
            }
            if (tally.add()) {
                coalesced.increment();
                return;
            }
            // sealed by a flush that already took this entry away: start a new one
        }
    }

    /** Pulls accepted so far (written, or pending). */
    public long recorded() {
        return started.sum() + coalesced.sum();
    }

    /** Pulls accepted into an entry that was already pending, so that cost no event row of their own. */
    public long coalesced() {
        return coalesced.sum();
    }

    /** Pulls lost: too many distinct ones pending, a failed flush, or after {@link #close}. */
    public long dropped() {
        return dropped.sum();
    }

    /** Writes every pending entry now, in one transaction; returns how many events it wrote. */
    public synchronized int flush() {
        List<RegistryEvent> events = new ArrayList<>();
        for (Map.Entry<PullKey, Tally> entry : pending.entrySet()) {
            PullKey key = entry.getKey();
            Tally tally = entry.getValue();
            pending.remove(key, tally);
            long count = tally.seal();
            for (; count > 0; count -= Integer.MAX_VALUE) { // an INT column, and a flusher that may stall
                events.add(RegistryEvent.pulled(tally.first, key.repository(), key.digest(), key.mediaType(),
                        key.tag(), key.caller(), (int) Math.min(count, Integer.MAX_VALUE)));
            }
        }
        if (events.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        List<String> repositories = events.stream().map(RegistryEvent::repository).toList();
        List<String> digests = events.stream().map(RegistryEvent::digest).toList();
        try {
            tx.useTransaction(h -> {
                h.attach(ArtifactDao.class).markPulled(repositories, digests, now);
                outbox.append(h, events); // last: it takes the outbox's lock
            });
        } catch (RuntimeException e) {
            long lost = events.stream().mapToLong(RegistryEvent::count).sum();
            dropped.add(lost);
            LOG.warn("could not record {} manifest pulls; they are dropped", lost, e);
            return 0;
        }
        return events.size();
    }

    private void flushPeriodically() {
        long lastDropped = 0;
        while (!closed) {
            LockSupport.parkNanos(this, options.flushInterval().toNanos());
            if (closed) {
                return;
            }
            flush();
            long nowDropped = dropped();
            if (nowDropped > lastDropped) {
                LOG.warn("{} manifest pulls were not recorded since the last flush (more than {} distinct ones"
                        + " pending, or a failed flush)", nowDropped - lastDropped, options.maxPending());
                lastDropped = nowDropped;
            }
        }
    }

    /**
     * Stops the flusher and writes what is pending. Close the gateway first: pulls recorded
     * after this are only counted as dropped.
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(flusher);
        try {
            flusher.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
