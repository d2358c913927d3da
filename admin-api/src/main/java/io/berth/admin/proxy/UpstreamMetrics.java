package io.berth.admin.proxy;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamClients;
import io.berth.store.upstream.UpstreamStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Each upstream's metrics, under {@code berth.upstream.<endpoint name>.*}: time to response
 * headers (count, mean, cumulative buckets), responses by status class and for the statuses that
 * matter to a mirror (401, 403, 404, 429), transport failures by kind, requests in flight, the
 * circuit breaker's state, and the rate budget the upstream reported last. They appear when the
 * endpoint's client is first made (its first use), follow it when its settings change, and go
 * when the endpoint is deleted or renamed. Gauges read the endpoint's current client when read.
 */
public final class UpstreamMetrics implements UpstreamClients.Watcher {
    static final String PREFIX = "berth.upstream.";
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamMetrics.class);

    private final MetricRegistry metrics;
    private final Map<String, RegistryClient> byName = new HashMap<>();
    /** The metrics registered for each endpoint name (names may hold dots: no prefix match would do). */
    private final Map<String, List<String>> registered = new HashMap<>();

    public UpstreamMetrics(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    /** The circuit state as a number: 0 closed, 1 half-open, 2 open. */
    static int circuitNumber(RegistryClient.CircuitState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    @Override
    public synchronized void made(RegistryClient client) {
        String name = client.endpoint().name();
        if (byName.put(name, client) == null) {
            register(name);
        }
    }

    @Override
    public synchronized void retired(RegistryClient client) {
        String name = client.endpoint().name();
        if (byName.remove(name, client)) {
            registered.remove(name).forEach(metrics::remove);
        }
    }

    private synchronized RegistryClient current(String name) {
        return byName.get(name);
    }

    private void register(String name) {
        gauge(name, "latency.count", UpstreamStats::answered);
        gauge(name, "latency.mean-ms", UpstreamStats::meanMillis);
        for (Duration bound : UpstreamStats.LATENCY_BOUNDS) {
            gauge(name, "latency.le-" + label(bound), s -> s.answeredWithin(bound));
        }
        for (String statusClass : UpstreamStats.STATUS_CLASSES) {
            gauge(name, "responses." + statusClass, s -> s.responses(statusClass));
        }
        for (int status : UpstreamStats.DETAILED_STATUSES) {
            gauge(name, "responses." + status, s -> s.responses(status));
        }
        for (UpstreamStats.Failure failure : UpstreamStats.Failure.values()) {
            gauge(name, "failures." + failure.name().toLowerCase(Locale.ROOT), s -> s.failures(failure));
        }
        client(name, "requests.in-flight", RegistryClient::inFlight);
        client(name, "circuit.state", c -> circuitNumber(c.circuitState()));
        client(name, "circuit.state-name", c -> c.circuitState().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        client(name, "rate-limit.remaining", c -> c.rateLimit().map(Upstream.RateLimit::remaining).orElse(-1L));
        client(name, "rate-limit.limit", c -> c.rateLimit().map(Upstream.RateLimit::limit).orElse(-1L));
    }

    /** "10ms", "2500ms", "1s": a bound as its metric name shows it. */
    static String label(Duration bound) {
        long millis = bound.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private void gauge(String name, String metric, Function<UpstreamStats, Object> read) {
        client(name, metric, c -> read.apply(c.stats()));
    }

    /** A gauge reading the endpoint's current client; null once the endpoint is gone (and the gauge with it). */
    private void client(String name, String metric, Function<RegistryClient, Object> read) {
        String metricName = PREFIX + name + "." + metric;
        try {
            metrics.register(metricName, (Gauge<Object>) () -> {
                RegistryClient client = current(name);
                return client == null ? null : read.apply(client);
            });
        } catch (IllegalArgumentException taken) { // never fail the client's making over a metric
            LOG.warn("upstream '{}': metric {} is registered already; it is not published for this endpoint", name,
                    metricName);
            return;
        }
        registered.computeIfAbsent(name, n -> new ArrayList<>()).add(metricName);
    }
}
