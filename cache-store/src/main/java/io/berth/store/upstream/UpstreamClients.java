package io.berth.store.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link UpstreamFactory} of a running Berth: one {@link RegistryClient} per registry endpoint
 * id, shared by every proxy project and replication task that reaches it, so that its connection
 * pool, tokens, circuit breaker and request budget are shared too. When an endpoint's settings
 * change (another URL, credential or CA), the next {@link #of} builds a new client and retires the
 * old one: transfers already under way on it run to their end, new ones go to the new client.
 */
public final class UpstreamClients implements UpstreamFactory, AutoCloseable {
    /**
     * Told when a client is made and when one is retired (its endpoint changed or was deleted), in
     * that order when one replaces another, so per-endpoint metrics follow the endpoints. Called
     * while that endpoint's entry is locked: be quick, and do not call back into the clients.
     */
    public interface Watcher {
        void made(RegistryClient client);

        void retired(RegistryClient client);
    }

    private final Options options;
    private final ConcurrentMap<Long, RegistryClient> clients = new ConcurrentHashMap<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();

    public UpstreamClients(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public RegistryClient of(RegistryEndpoint endpoint) {
        return clients.compute(endpoint.id(), (id, current) -> {
            if (current != null && current.endpoint().equals(endpoint)) {
                return current;
            }
            // The endpoint's counts go on across a change of its settings: they are the endpoint's.
            RegistryClient made = new RegistryClient(endpoint, options, Clock.systemUTC(),
                    current == null ? new UpstreamStats() : current.stats());
            watchers.forEach(w -> w.made(made));
            if (current != null) {
                current.retire();
                watchers.forEach(w -> w.retired(current));
            }
            return made;
        });
    }

    /** Retires the client of an endpoint that was deleted, if there is one. */
    @Override
    public void forget(long endpointId) {
        RegistryClient gone = clients.remove(endpointId);
        if (gone != null) {
            gone.retire();
            watchers.forEach(w -> w.retired(gone));
        }
    }

    /** Has {@code watcher} told of every client made or retired from now on, and of those made already. */
    public void watch(Watcher watcher) {
        watchers.add(watcher);
        clients.values().forEach(watcher::made);
    }

    /** The clients built so far, for metrics (circuit state, requests in flight, rate limit). */
    public List<RegistryClient> clients() {
        return List.copyOf(clients.values());
    }

    /** Stops every client, aborting transfers still under way (at shutdown). */
    @Override
    public void close() {
        clients.values().forEach(RegistryClient::close);
        clients.clear();
    }

    /**
     * What the upstream clients may spend and how long they wait.
     *
     * @param connectTimeout            to open a TCP connection (and finish the TLS handshake)
     * @param headersTimeout            from sending a request to its response headers
     * @param idleTimeout               between two parts of a response body; a whole transfer has no limit
     * @param maxAttempts               tries of one request (1 = no retry), each over every URL in order
     * @param backoff                   the wait before the second try, doubled for each further one
     * @param maxBackoff                the longest wait between tries
     * @param maxRetryAfter             the longest {@code Retry-After} waited for; a longer one fails at once
     * @param maxConcurrentRequests     requests in flight per upstream (a blob's until its stream is closed)
     * @param concurrencyWait           how long a request waits for a free slot before it is not sent
     * @param requestsPerSecond         requests started per second per upstream
     * @param rateWait                  how long a request waits for the request rate before it is not sent
     * @param circuitWindow             the last requests the circuit breaker judges
     * @param circuitMinimumCalls       requests in the window before it may open
     * @param circuitFailureRatePercent failed requests (unreachable, timeout, 5xx) in the window that open it
     * @param circuitOpenFor            how long it stays open before it lets probes through
     * @param circuitProbes             probes that must succeed to close it again
     * @param maxJsonSize               the largest tag list, referrers index, token or error body read
     */
    public record Options(Duration connectTimeout, Duration headersTimeout, Duration idleTimeout,
                          int maxAttempts, Duration backoff, Duration maxBackoff, Duration maxRetryAfter,
                          int maxConcurrentRequests, Duration concurrencyWait,
                          int requestsPerSecond, Duration rateWait,
                          int circuitWindow, int circuitMinimumCalls, float circuitFailureRatePercent,
                          Duration circuitOpenFor, int circuitProbes, int maxJsonSize) {
        public Options {
            positive(connectTimeout, "connectTimeout");
            positive(headersTimeout, "headersTimeout");
            positive(idleTimeout, "idleTimeout");
            positive(maxBackoff, "maxBackoff");
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            Objects.requireNonNull(concurrencyWait, "concurrencyWait");
            Objects.requireNonNull(rateWait, "rateWait");
            positive(circuitOpenFor, "circuitOpenFor");
            if (maxAttempts < 1 || maxConcurrentRequests < 1 || requestsPerSecond < 1 || circuitWindow < 1
                    || circuitMinimumCalls < 1 || circuitProbes < 1 || maxJsonSize < 1024
                    || circuitFailureRatePercent <= 0 || circuitFailureRatePercent > 100) {
                throw new IllegalArgumentException("upstream client options out of range: " + this);
            }
        }

        /**
         * Defaults for a laptop and a busy site alike: answers well within containerd's 30-second
         * header timeout, three tries, 32 requests in flight and 1000 started per second per upstream,
         * and a circuit that opens when half of the last 10 requests failed, for 30 seconds. The rate
         * is a fuse against a runaway loop, not a pace: replicating 50 small images takes about 1000
         * requests to the destination, and at 50 per second they waited for the limiter (a run with
         * nothing to copy, 100 requests, could not end within 2 s); the requests in flight are what
         * bounds the load on an upstream.
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60),
                    3, Duration.ofMillis(250), Duration.ofSeconds(4), Duration.ofSeconds(10),
                    32, Duration.ofSeconds(2), 1000, Duration.ofSeconds(1),
                    10, 5, 50f, Duration.ofSeconds(30), 2, 4 * 1024 * 1024);
        }

        public Options withTimeouts(Duration connect, Duration headers, Duration idle) {
            return new Options(connect, headers, idle, maxAttempts, backoff, maxBackoff, maxRetryAfter,
                    maxConcurrentRequests, concurrencyWait, requestsPerSecond, rateWait, circuitWindow,
                    circuitMinimumCalls, circuitFailureRatePercent, circuitOpenFor, circuitProbes, maxJsonSize);
        }

        public Options withRetries(int attempts, Duration firstBackoff, Duration longestBackoff, Duration longestRetryAfter) {
            return new Options(connectTimeout, headersTimeout, idleTimeout, attempts, firstBackoff, longestBackoff,
                    longestRetryAfter, maxConcurrentRequests, concurrencyWait, requestsPerSecond, rateWait,
                    circuitWindow, circuitMinimumCalls, circuitFailureRatePercent, circuitOpenFor, circuitProbes,
                    maxJsonSize);
        }

        public Options withConcurrency(int maxConcurrent, Duration wait, int perSecond, Duration rateLimitWait) {
            return new Options(connectTimeout, headersTimeout, idleTimeout, maxAttempts, backoff, maxBackoff,
                    maxRetryAfter, maxConcurrent, wait, perSecond, rateLimitWait, circuitWindow, circuitMinimumCalls,
                    circuitFailureRatePercent, circuitOpenFor, circuitProbes, maxJsonSize);
        }

        public Options withCircuit(int window, int minimumCalls, float failureRatePercent, Duration openFor, int probes) {
            return new Options(connectTimeout, headersTimeout, idleTimeout, maxAttempts, backoff, maxBackoff,
                    maxRetryAfter, maxConcurrentRequests, concurrencyWait, requestsPerSecond, rateWait, window,
                    minimumCalls, failureRatePercent, openFor, probes, maxJsonSize);
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, not " + d);
            }
        }
    }
}
