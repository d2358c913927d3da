package io.berth.store.upstream;

import io.berth.store.upstream.UpstreamClients.Options;
import io.berth.store.upstream.UpstreamException.Kind;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What stands between a caller and one upstream (Resilience4j, one of each per endpoint): a
 * circuit breaker that opens when too many recent requests found the upstream unreachable, slow
 * or failing (5xx), and then refuses at once until it lets a few probes through; a cap on
 * requests in flight; and a cap on requests started per second. A request refused by any of them
 * fails with {@link Kind#NOT_ASKED} without touching the network.
 */
final class UpstreamGuards {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamGuards.class);
    /** The failures that say the upstream is down or struggling; the others are answers. */
    private static final Set<Kind> OUTAGES = EnumSet.of(Kind.UNREACHABLE, Kind.TIMEOUT, Kind.SERVER_ERROR);

    private final String name;
    private final Options options;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final RateLimiter rate;

    UpstreamGuards(String name, Options options) {
        this.name = name;
        this.options = options;
        this.breaker = CircuitBreaker.of("upstream-" + name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(options.circuitWindow())
                .minimumNumberOfCalls(Math.min(options.circuitMinimumCalls(), options.circuitWindow()))
                .failureRateThreshold(options.circuitFailureRatePercent())
                .waitDurationInOpenState(options.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(options.circuitProbes())
                .build());
        this.bulkhead = Bulkhead.of("upstream-" + name, BulkheadConfig.custom()
                .maxConcurrentCalls(options.maxConcurrentRequests())
                .maxWaitDuration(options.concurrencyWait())
                .build());
        this.rate = RateLimiter.of("upstream-" + name, RateLimiterConfig.custom()
                .limitForPeriod(options.requestsPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(options.rateWait())
                .build());
        breaker.getEventPublisher().onStateTransition(e -> LOG.warn("upstream '{}': circuit {}", name,
                e.getStateTransition()));
    }

    /** Lets one request through, or refuses it with NOT_ASKED; the permit must be finished and released. */
    Permit enter(String what) throws UpstreamException {
        if (!breaker.tryAcquirePermission()) {
            throw notAsked(what, "the upstream failed repeatedly and Berth stopped asking it for "
                    + options.circuitOpenFor().toSeconds() + " s (circuit breaker open); it will be probed again");
        }
        if (!rate.acquirePermission()) {
            breaker.releasePermission();
            throw notAsked(what, "more than " + options.requestsPerSecond() + " requests per second to this upstream");
        }
        if (!bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            throw notAsked(what, "already " + options.maxConcurrentRequests() + " requests in flight to this upstream");
        }
        return new Permit(System.nanoTime());
    }

    CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    int inFlight() {
        return options.maxConcurrentRequests() - bulkhead.getMetrics().getAvailableConcurrentCalls();
    }

    private UpstreamException notAsked(String what, String why) {
        return new UpstreamException(Kind.NOT_ASKED, 0, null, "Berth did not " + what + " from upstream '" + name
                + "': " + why, null);
    }

    /** One request let through: its outcome goes to the circuit breaker once, its slot is freed once. */
    final class Permit {
        private final long started;
        private final AtomicBoolean judged = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(long started) {
            this.started = started;
        }

        /** Records the request's outcome: {@code failure} is null when the upstream answered. */
        void judge(UpstreamException failure) {
            if (judged.compareAndSet(false, true)) {
                long nanos = System.nanoTime() - started;
                if (failure != null && OUTAGES.contains(failure.kind())) {
                    breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
                } else {
                    breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
                }
            }
        }

        /** Frees the request's slot (a blob's when its stream is closed). */
        void release() {
            if (released.compareAndSet(false, true)) {
                bulkhead.onComplete();
            }
        }

        /** Gives back a permit whose request was never judged (a caller's mistake, an interrupt). */
        void abandon() {
            if (judged.compareAndSet(false, true)) {
                breaker.releasePermission();
            }
            release();
        }
    }
}
