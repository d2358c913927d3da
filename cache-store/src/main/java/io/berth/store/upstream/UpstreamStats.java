package io.berth.store.upstream;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one endpoint's HTTP exchanges came to, counted since the endpoint's first client was made:
 * every request the client sends (to the registry, its token service, and redirect targets such
 * as blob storage), with the time until its response headers arrived and their status, or the
 * transport failure that stopped it before any headers. Each answer costs a few increments; the
 * composition root's metrics read the sums. Counts survive a client being rebuilt because its
 * endpoint changed ({@link UpstreamClients} hands the new client the same stats).
 */
public final class UpstreamStats {
    /** The statuses counted on their own; each is also counted in its class ({@code 4xx}). */
    public static final List<Integer> DETAILED_STATUSES = List.of(401, 403, 404, 429);
    /** The status classes counted: {@code 1xx} to {@code 5xx}. */
    public static final List<String> STATUS_CLASSES = List.of("1xx", "2xx", "3xx", "4xx", "5xx");
    /** Upper bounds of the latency buckets; {@link #answeredWithin} counts answers at or below one. */
    public static final List<Duration> LATENCY_BOUNDS = List.of(Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10));

    /** Why a request got no response headers. */
    public enum Failure {
        /** The connection was refused (nothing listens there, or a firewall said no). */
        REFUSED,
        /** No connection, or no headers, within the time allowed. */
        TIMEOUT,
        /** The connection broke before the headers came: reset, or closed by the other end. */
        RESET,
        /** The TLS handshake failed (an unknown CA, a wrong host name, no common protocol). */
        TLS
    }

    private static final long[] BOUNDS_NANOS = LATENCY_BOUNDS.stream().mapToLong(Duration::toNanos).toArray();

    private final LongAdder[] classes = adders(STATUS_CLASSES.size());
    private final LongAdder[] detailed = adders(DETAILED_STATUSES.size());
    private final LongAdder[] buckets = adders(BOUNDS_NANOS.length);
    private final LongAdder answered = new LongAdder();
    private final LongAdder answerNanos = new LongAdder();
    private final Map<Failure, LongAdder> failures = new EnumMap<>(Failure.class);

    public UpstreamStats() {
        for (Failure failure : Failure.values()) {
            failures.put(failure, new LongAdder());
        }
    }

    /** Counts response headers with {@code status}, {@code nanos} after the request was sent. */
    void answered(int status, long nanos) {
        answered.increment();
        answerNanos.add(Math.max(0, nanos));
        int statusClass = status / 100 - 1;
        if (statusClass >= 0 && statusClass < classes.length) {
            classes[statusClass].increment();
        }
        int detail = DETAILED_STATUSES.indexOf(status);
        if (detail >= 0) {
            detailed[detail].increment();
        }
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            if (nanos <= BOUNDS_NANOS[i]) {
                buckets[i].increment();
                break;
            }
        }
    }

    /** Counts a request that got no response headers. */
    void failed(Failure failure) {
        failures.get(failure).increment();
    }

    /** Responses of a class from {@link #STATUS_CLASSES} ({@code "4xx"}). */
    public long responses(String statusClass) {
        int index = STATUS_CLASSES.indexOf(statusClass);
        if (index < 0) {
            throw new IllegalArgumentException("not a counted status class: " + statusClass);
        }
        return classes[index].sum();
    }

    /** Responses with a status from {@link #DETAILED_STATUSES}. */
    public long responses(int status) {
        int index = DETAILED_STATUSES.indexOf(status);
        if (index < 0) {
            throw new IllegalArgumentException("not a status counted on its own: " + status);
        }
        return detailed[index].sum();
    }

    /** Requests that got no response headers, for that reason. */
    public long failures(Failure failure) {
        return failures.get(failure).sum();
    }

    /** Requests that got response headers, whatever their status. */
    public long answered() {
        return answered.sum();
    }

    /** The time all answered requests waited for their headers together. */
    public Duration answerTime() {
        return Duration.ofNanos(answerNanos.sum());
    }

    /** Answered requests whose headers came within {@code bound} (one of {@link #LATENCY_BOUNDS}): cumulative. */
    public long answeredWithin(Duration bound) {
        int index = LATENCY_BOUNDS.indexOf(bound);
        if (index < 0) {
            throw new IllegalArgumentException("not a latency bound: " + bound);
        }
        long sum = 0;
        for (int i = 0; i <= index; i++) {
            sum += buckets[i].sum();
        }
        return sum;
    }

    /** The mean time to response headers in milliseconds, 0 before any answer. */
    public double meanMillis() {
        long count = answered.sum();
        return count == 0 ? 0 : answerNanos.sum() / (double) count / TimeUnit.MILLISECONDS.toNanos(1);
    }

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
