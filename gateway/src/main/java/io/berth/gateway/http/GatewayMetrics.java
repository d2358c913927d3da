package io.berth.gateway.http;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Metrics of the registry endpoint, under {@code berth.registry.*}: a timer per route, meters
 * per response class, bytes in and out, open connections, and the memory request bodies hold
 * ({@code body-memory.used} of {@code body-memory.limit}, connections {@code body-memory.waiting}
 * for some, bodies {@code body-memory.refused}), bodies that {@code bodies.timed-out}, and
 * connections closed {@code connections.lingered} after an early answer. Updated from event loops,
 * so only lock-free structures are used.
 */
public final class GatewayMetrics {
    private static final String PREFIX = "berth.registry.";

    private final MetricRegistry registry;
    private final ConcurrentHashMap<String, Timer> routeTimers = new ConcurrentHashMap<>();
    private final Meter clientErrors;
    private final Meter serverErrors;
    private final Counter bytesReceived;
    private final Counter bytesSent;
    private final Counter connections;
    private final Meter bodiesRefused;
    private final Meter bodiesTimedOut;
    private final Meter lingered;

    public GatewayMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.clientErrors = registry.meter(PREFIX + "responses.4xx");
        this.serverErrors = registry.meter(PREFIX + "responses.5xx");
        this.bytesReceived = registry.counter(PREFIX + "bytes.received");
        this.bytesSent = registry.counter(PREFIX + "bytes.sent");
        this.connections = registry.counter(PREFIX + "connections.open");
        this.bodiesRefused = registry.meter(PREFIX + "body-memory.refused");
        this.bodiesTimedOut = registry.meter(PREFIX + "bodies.timed-out");
        this.lingered = registry.meter(PREFIX + "connections.lingered");
    }

    /** Metrics that go nowhere, for tests and tools. */
    public static GatewayMetrics discarding() {
        return new GatewayMetrics(new MetricRegistry());
    }

    /** Publishes the body memory budget of a server (the last one started, should there be several). */
    void bodyMemory(BodyBudget budget) {
        gauge("body-memory.used", budget::used);
        gauge("body-memory.limit", budget::capacity);
        gauge("body-memory.waiting", budget::waiting);
    }

    private void gauge(String name, Gauge<?> gauge) {
        registry.remove(PREFIX + name);
        registry.register(PREFIX + name, gauge);
    }

    void requestDone(String route, int status, long nanos) {
        routeTimers.computeIfAbsent(route, r -> registry.timer(PREFIX + "requests." + r,
                () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()))).update(nanos, TimeUnit.NANOSECONDS);
        if (status >= 500) {
            serverErrors.mark();
        } else if (status >= 400) {
            clientErrors.mark();
        }
    }

    void received(long bytes) {
        bytesReceived.inc(bytes);
    }

    void sent(long bytes) {
        bytesSent.inc(bytes);
    }

    void connectionOpened() {
        connections.inc();
    }

    void connectionClosed() {
        connections.dec();
    }

    void bodyRefused() {
        bodiesRefused.mark();
    }

    void bodyTimedOut() {
        bodiesTimedOut.mark();
    }

    void lingered() {
        lingered.mark();
    }
}
