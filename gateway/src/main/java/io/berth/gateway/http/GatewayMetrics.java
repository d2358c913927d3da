package io.berth.gateway.http;

import com.codahale.metrics.Counter;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Metrics of the registry endpoint, under {@code berth.registry.*}: a timer per route, meters
 * per response class, bytes in and out, open connections, and connections closed
 * {@code connections.lingered} after an early answer. Updated from event loops, so only lock-free
 * structures are used.
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
    private final Meter lingered;

    public GatewayMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.clientErrors = registry.meter(PREFIX + "responses.4xx");
        this.serverErrors = registry.meter(PREFIX + "responses.5xx");
        this.bytesReceived = registry.counter(PREFIX + "bytes.received");
        this.bytesSent = registry.counter(PREFIX + "bytes.sent");
        this.connections = registry.counter(PREFIX + "connections.open");
        this.lingered = registry.meter(PREFIX + "connections.lingered");
    }

    /** Metrics that go nowhere, for tests and tools. */
    public static GatewayMetrics discarding() {
        return new GatewayMetrics(new MetricRegistry());
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

    void lingered() {
        lingered.mark();
    }
}
