package io.berth.admin.proxy;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.UpstreamClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-endpoint metrics follow the endpoints' clients: made, changed, renamed, deleted. Nothing is contacted. */
class UpstreamMetricsTest {
    private final MetricRegistry metrics = new MetricRegistry();
    private final UpstreamClients clients = new UpstreamClients(UpstreamClients.Options.defaults());

    UpstreamMetricsTest() {
        clients.watch(new UpstreamMetrics(metrics));
    }

    @AfterEach
    void close() {
        clients.close();
    }

    private static RegistryEndpoint endpoint(long id, String name, String url) {
        return new RegistryEndpoint(id, name, RegistryEndpoint.Type.V2, List.of(URI.create(url)), false, null, null,
                null);
    }

    /** The endpoint names that have a circuit state published. */
    private Set<String> endpointsWithMetrics() {
        String suffix = ".circuit.state";
        return metrics.getNames().stream().filter(n -> n.startsWith(UpstreamMetrics.PREFIX) && n.endsWith(suffix))
                .map(n -> n.substring(UpstreamMetrics.PREFIX.length(), n.length() - suffix.length()))
                .collect(Collectors.toSet());
    }

    private Object value(String name) {
        Gauge<?> gauge = metrics.getGauges().get(name);
        assertTrue(gauge != null, name + " is not registered: " + metrics.getNames());
        return gauge.getValue();
    }

    @Test
    void aNewClient_publishesItsEndpointsMetrics_withNothingSeenYet() {
        clients.of(endpoint(1, "hub", "http://127.0.0.1:1"));

        assertEquals(0, value("berth.upstream.hub.circuit.state"));
        assertEquals("closed", value("berth.upstream.hub.circuit.state-name"));
        assertEquals(-1L, value("berth.upstream.hub.rate-limit.remaining"));
        assertEquals(-1L, value("berth.upstream.hub.rate-limit.limit"));
        assertEquals(0, value("berth.upstream.hub.requests.in-flight"));
        assertEquals(0L, value("berth.upstream.hub.latency.count"));
        assertEquals(0L, value("berth.upstream.hub.latency.le-250ms"));
        assertEquals(0L, value("berth.upstream.hub.latency.le-10s"));
        assertEquals(0L, value("berth.upstream.hub.responses.429"));
        assertEquals(0L, value("berth.upstream.hub.responses.5xx"));
        assertEquals(0L, value("berth.upstream.hub.failures.refused"));
        assertEquals(0L, value("berth.upstream.hub.failures.timeout"));
    }

    @Test
    void aChangedEndpoint_keepsItsMetrics_aRenamedOneMovesThem_aDeletedOneDropsThem() {
        RegistryClient first = clients.of(endpoint(1, "hub", "http://127.0.0.1:1"));
        clients.of(endpoint(2, "hub.mirror", "http://127.0.0.1:2"));
        assertEquals(Set.of("hub", "hub.mirror"), endpointsWithMetrics());

        RegistryClient moved = clients.of(endpoint(1, "hub", "http://127.0.0.1:3"));
        assertTrue(moved != first, "another URL makes another client");
        assertEquals(Set.of("hub", "hub.mirror"), endpointsWithMetrics());

        clients.of(endpoint(1, "dockerhub", "http://127.0.0.1:3"));
        assertEquals(Set.of("dockerhub", "hub.mirror"), endpointsWithMetrics(),
                "a renamed endpoint's metrics move; another whose name starts the same keeps its own");

        clients.forget(1);
        assertEquals(Set.of("hub.mirror"), endpointsWithMetrics());
        clients.forget(2);
        assertEquals(Set.of(), endpointsWithMetrics());
        assertEquals(Set.of(), metrics.getNames().stream().filter(n -> n.startsWith(UpstreamMetrics.PREFIX))
                .collect(Collectors.toSet()), "nothing of a deleted endpoint stays");
    }

    @Test
    void circuitStates_areNumbered_closedHalfOpenOpen() {
        assertEquals(0, UpstreamMetrics.circuitNumber(RegistryClient.CircuitState.CLOSED));
        assertEquals(1, UpstreamMetrics.circuitNumber(RegistryClient.CircuitState.HALF_OPEN));
        assertEquals(2, UpstreamMetrics.circuitNumber(RegistryClient.CircuitState.OPEN));
    }
}
