package io.berth.store.upstream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.berth.store.oci.Digest;
import io.berth.store.upstream.Upstream.BlobStream;
import io.berth.store.upstream.UpstreamClients.Options;
import io.berth.store.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.berth.store.upstream.UpstreamTesting.MANIFEST_TYPE;
import static io.berth.store.upstream.UpstreamTesting.deadUrl;
import static io.berth.store.upstream.UpstreamTesting.endpoint;
import static io.berth.store.upstream.UpstreamTesting.fastOptions;
import static io.berth.store.upstream.UpstreamTesting.imageManifest;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retries, failover between URLs, the circuit breaker and the per-upstream caps. */
class ResilienceTest {
    private static final String PATH = "/v2/library/alpine/manifests/3.20";
    private static final byte[] MANIFEST = imageManifest("resilience");

    private final List<WireMockServer> servers = new ArrayList<>();

    private WireMockServer server() {
        WireMockServer server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        servers.add(server);
        return server;
    }

    private static URI url(WireMockServer server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private static void serveManifest(WireMockServer server) {
        server.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MANIFEST_TYPE).withBody(MANIFEST)));
    }

    private static int requests(WireMockServer server) {
        return server.findAll(anyRequestedFor(anyUrl())).size();
    }

    private static Options retrying(int attempts) {
        return fastOptions().withRetries(attempts, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2));
    }

    @BeforeEach
    void none() {
        servers.clear();
    }

    @AfterEach
    void stop() {
        servers.forEach(WireMockServer::stop);
    }

    @Test
    void serverErrors_thenSuccess_areRetried() throws Exception {
        WireMockServer upstream = server();
        upstream.stubFor(get(urlPathEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("once").willReturn(aResponse().withStatus(500)));
        upstream.stubFor(get(urlPathEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("once")
                .willSetStateTo("fine").willReturn(aResponse().withStatus(503)));
        upstream.stubFor(get(urlPathEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("fine")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", MANIFEST_TYPE).withBody(MANIFEST)));
        try (RegistryClient client = new RegistryClient(endpoint(url(upstream)), retrying(3))) {
            assertArrayEquals(MANIFEST, client.getManifest("library/alpine", "3.20", 1 << 20).orElseThrow().bytes());
            assertEquals(3, requests(upstream));
        }
    }

    @Test
    void serverErrors_onEveryTry_failWithServerErrorAndTheUpstreamsMessage() {
        WireMockServer upstream = server();
        upstream.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503)
                .withBody("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"maintenance\"}]}")));
        try (RegistryClient client = new RegistryClient(endpoint(url(upstream)), retrying(2))) {
            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> client.getManifest("library/alpine", "3.20", 1 << 20));
            assertEquals(Kind.SERVER_ERROR, e.kind());
            assertEquals(503, e.status());
            assertTrue(e.getMessage().contains("UNAVAILABLE: maintenance"), e.getMessage());
            assertEquals(2, requests(upstream));
        }
    }

    @Test
    void failover_toTheNextUrl_whenTheFirstIsUnreachableOrFailing() throws Exception {
        WireMockServer failing = server();
        failing.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(502)));
        WireMockServer healthy = server();
        serveManifest(healthy);
        try (RegistryClient client = new RegistryClient(endpoint(deadUrl(), url(failing), url(healthy)), retrying(1))) {
            assertArrayEquals(MANIFEST, client.getManifest("library/alpine", "3.20", 1 << 20).orElseThrow().bytes());
            assertEquals(1, requests(failing));
            assertEquals(1, requests(healthy));
        }
    }

    @Test
    void noUrlReachable_failsUnreachable() throws Exception {
        try (RegistryClient client = new RegistryClient(endpoint(deadUrl(), deadUrl()), retrying(2))) {
            UpstreamException e = assertThrows(UpstreamException.class, () -> client.headManifest("library/alpine", "1"));
            assertEquals(Kind.UNREACHABLE, e.kind());
            assertTrue(e.getMessage().contains("4 requests to 2 URLs"), e.getMessage());
        }
    }

    @Test
    void noHeadersInTime_failsWithTimeout_afterRetrying() {
        WireMockServer slow = server();
        slow.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(3000)
                .withBody(MANIFEST)));
        Options options = retrying(2).withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(10));
        try (RegistryClient client = new RegistryClient(endpoint(url(slow)), options)) {
            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> client.getManifest("library/alpine", "3.20", 1 << 20));
            assertEquals(Kind.TIMEOUT, e.kind());
            assertEquals(2, requests(slow));
        }
    }

    @Test
    void circuitOpens_afterRepeatedFailures_thenRefusesWithoutAsking() {
        WireMockServer down = server();
        down.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        Options options = retrying(1).withCircuit(4, 4, 50f, Duration.ofMinutes(10), 1);
        try (RegistryClient client = new RegistryClient(endpoint(url(down)), options)) {
            for (int i = 0; i < 4; i++) {
                assertEquals(Kind.SERVER_ERROR, assertThrows(UpstreamException.class,
                        () -> client.getManifest("library/alpine", "3.20", 1 << 20)).kind());
            }
            assertEquals(RegistryClient.CircuitState.OPEN, client.circuitState());

            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> client.getManifest("library/alpine", "3.20", 1 << 20));
            assertEquals(Kind.NOT_ASKED, e.kind());
            assertTrue(e.getMessage().contains("circuit breaker open"), e.getMessage());
            assertEquals(4, requests(down), "an open circuit does not touch the upstream");
        }
    }

    @Test
    void openCircuit_probesAfterItsWait_andClosesWhenTheUpstreamIsBack() throws Exception {
        WireMockServer upstream = server();
        upstream.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(500)));
        Options options = retrying(1).withCircuit(2, 2, 50f, Duration.ofMillis(300), 1);
        try (RegistryClient client = new RegistryClient(endpoint(url(upstream)), options)) {
            for (int i = 0; i < 2; i++) {
                assertThrows(UpstreamException.class, () -> client.getManifest("library/alpine", "3.20", 1 << 20));
            }
            assertEquals(RegistryClient.CircuitState.OPEN, client.circuitState());
            upstream.resetAll();
            serveManifest(upstream);

            byte[] answer = null;
            for (int i = 0; i < 200 && answer == null; i++) {
                try {
                    answer = client.getManifest("library/alpine", "3.20", 1 << 20).orElseThrow().bytes();
                } catch (UpstreamException e) {
                    assertEquals(Kind.NOT_ASKED, e.kind());
                    Thread.sleep(50);
                }
            }
            assertArrayEquals(MANIFEST, answer);
            assertEquals(RegistryClient.CircuitState.CLOSED, client.circuitState());
        }
    }

    @Test
    void blobStream_holdsItsRequestSlot_untilClosed() throws Exception {
        WireMockServer upstream = server();
        byte[] blob = UpstreamTesting.randomBytes(1000, 3);
        Digest digest = sha256(blob);
        upstream.stubFor(get(urlPathEqualTo("/v2/library/alpine/blobs/" + digest)).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Length", "1000").withBody(blob)));
        upstream.stubFor(head(urlPathEqualTo("/v2/library/alpine/blobs/" + digest)).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Length", "1000")));
        Options options = retrying(1).withConcurrency(1, Duration.ZERO, 50, Duration.ofSeconds(1));
        try (RegistryClient client = new RegistryClient(endpoint(url(upstream)), options)) {
            BlobStream stream = client.getBlob("library/alpine", digest, 0).orElseThrow();
            assertEquals(1, client.inFlight());
            UpstreamException e = assertThrows(UpstreamException.class, () -> client.headBlob("library/alpine", digest));
            assertEquals(Kind.NOT_ASKED, e.kind());

            stream.close();
            assertEquals(0, client.inFlight());
            assertEquals(1000, client.headBlob("library/alpine", digest).orElseThrow());
        }
    }

    @Test
    void requestRateCap_refusesRequestsBeyondItWithoutAsking() throws Exception {
        // A refused port answers at once, so twenty tries take far less than a second even on a busy machine.
        Options options = retrying(1).withConcurrency(8, Duration.ofSeconds(1), 1, Duration.ZERO);
        try (RegistryClient client = new RegistryClient(endpoint(deadUrl()), options)) {
            int refused = 0;
            for (int i = 0; i < 20; i++) {
                UpstreamException e = assertThrows(UpstreamException.class, () -> client.headManifest("library/alpine", "1"));
                if (e.kind() == Kind.NOT_ASKED) {
                    assertTrue(e.getMessage().contains("requests per second"), e.getMessage());
                    refused++;
                } else {
                    assertEquals(Kind.UNREACHABLE, e.kind());
                }
            }
            assertTrue(refused >= 10, "one request per second: only " + refused + " of 20 were held back");
        }
    }
}
