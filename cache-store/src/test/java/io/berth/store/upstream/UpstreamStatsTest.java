package io.berth.store.upstream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.berth.store.oci.Digest;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamStats.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.berth.store.upstream.UpstreamTesting.MANIFEST_TYPE;
import static io.berth.store.upstream.UpstreamTesting.deadUrl;
import static io.berth.store.upstream.UpstreamTesting.endpoint;
import static io.berth.store.upstream.UpstreamTesting.fastOptions;
import static io.berth.store.upstream.UpstreamTesting.imageManifest;
import static io.berth.store.upstream.UpstreamTesting.randomBytes;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an endpoint's stats say after its upstream answered, failed to answer, or its client was rebuilt. */
class UpstreamStatsTest {
    private static final String REPO = "library/alpine";
    private static final Digest BLOB = sha256(randomBytes(1000, 3));

    private WireMockServer upstream;

    @BeforeEach
    void start() {
        upstream = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
    }

    @AfterEach
    void stop() {
        upstream.stop();
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + upstream.port());
    }

    @Test
    void answers_areCountedByStatusClassAndStatus_withTheirTimeToHeaders() throws Exception {
        upstream.stubFor(get(urlPathEqualTo("/v2/" + REPO + "/manifests/3.20")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MANIFEST_TYPE).withBody(imageManifest("stats"))));
        upstream.stubFor(head(urlPathEqualTo("/v2/" + REPO + "/blobs/" + BLOB)).willReturn(aResponse().withStatus(404)));
        upstream.stubFor(get(urlPathEqualTo("/v2/" + REPO + "/tags/list")).willReturn(aResponse().withStatus(500)));
        upstream.stubFor(get(urlPathEqualTo("/v2/" + REPO + "/blobs/" + BLOB)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "1")));
        upstream.stubFor(get(urlPathEqualTo("/v2/")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")));

        try (RegistryClient client = new RegistryClient(endpoint(url()), fastOptions())) {
            client.getManifest(REPO, "3.20", 1 << 20).orElseThrow();
            assertTrue(client.headBlob(REPO, BLOB).isEmpty());
            assertEquals(Kind.SERVER_ERROR, assertThrows(UpstreamException.class, () -> client.tags(REPO, null, 10)).kind());
            assertEquals(Kind.RATE_LIMITED, assertThrows(UpstreamException.class,
                    () -> client.getBlob(REPO, BLOB, 0)).kind());
            assertEquals(Kind.UNAUTHORIZED, assertThrows(UpstreamException.class, client::ping).kind());

            UpstreamStats stats = client.stats();
            assertEquals(1, stats.responses("2xx"));
            assertEquals(1, stats.responses(404));
            assertEquals(1, stats.responses(429));
            assertTrue(stats.responses(401) >= 1, "the 401 is counted");
            assertEquals(stats.responses(401) + 2, stats.responses("4xx"), "401, 404 and 429 are 4xx");
            assertEquals(1, stats.responses("5xx"));
            assertEquals(0, stats.responses("3xx"));
            assertEquals(0, stats.responses(403));
            assertEquals(stats.responses("2xx") + stats.responses("4xx") + stats.responses("5xx"), stats.answered(),
                    "every answer has its time to headers");
            assertTrue(stats.answerTime().compareTo(Duration.ZERO) > 0);
            assertTrue(stats.meanMillis() > 0);
            List<Duration> bounds = UpstreamStats.LATENCY_BOUNDS;
            for (int i = 1; i < bounds.size(); i++) {
                assertTrue(stats.answeredWithin(bounds.get(i - 1)) <= stats.answeredWithin(bounds.get(i)),
                        "the buckets are cumulative");
            }
            assertTrue(stats.answeredWithin(bounds.getLast()) <= stats.answered());
            for (Failure failure : Failure.values()) {
                assertEquals(0, stats.failures(failure), failure.name());
            }
        }
    }

    @Test
    void refusedConnections_areCountedAsRefused() throws Exception {
        try (RegistryClient client = new RegistryClient(endpoint(deadUrl()), fastOptions())) {
            assertEquals(Kind.UNREACHABLE, assertThrows(UpstreamException.class, client::ping).kind());

            assertEquals(1, client.stats().failures(Failure.REFUSED));
            assertEquals(0, client.stats().answered());
        }
    }

    @Test
    void noHeadersInTime_isCountedAsATimeout() {
        upstream.stubFor(get(urlPathEqualTo("/v2/")).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        UpstreamClients.Options options = fastOptions().withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300),
                Duration.ofSeconds(10));
        try (RegistryClient client = new RegistryClient(endpoint(url()), options)) {
            assertEquals(Kind.TIMEOUT, assertThrows(UpstreamException.class, client::ping).kind());

            assertEquals(1, client.stats().failures(Failure.TIMEOUT));
            assertEquals(0, client.stats().answered());
        }
    }

    @Test
    void connectionResetBeforeTheHeaders_isCountedAsReset() throws Exception {
        try (RawHttpServer reset = new RawHttpServer((head, socket, out) -> {
            socket.setSoLinger(true, 0);
            socket.close();
        }); RegistryClient client = new RegistryClient(endpoint(reset.url()), fastOptions())) {
            assertEquals(Kind.UNREACHABLE, assertThrows(UpstreamException.class, client::ping).kind());

            assertEquals(1, client.stats().failures(Failure.RESET));
            assertEquals(0, client.stats().failures(Failure.REFUSED));
        }
    }

    @Test
    void anEndpointsCounts_goOnWhenItsClientIsRebuilt_andWatchersSeeClientsComeAndGo() throws Exception {
        upstream.stubFor(get(urlPathEqualTo("/v2/")).willReturn(aResponse().withStatus(200).withBody("{}")));
        List<String> told = new ArrayList<>();
        try (UpstreamClients clients = new UpstreamClients(fastOptions())) {
            clients.watch(new UpstreamClients.Watcher() {
                @Override
                public void made(RegistryClient client) {
                    told.add("made " + client.endpoint().name());
                }

                @Override
                public void retired(RegistryClient client) {
                    told.add("retired " + client.endpoint().name());
                }
            });
            RegistryClient first = clients.of(v2(3, "up"));
            first.ping();

            RegistryClient renamed = clients.of(v2(3, "up-renamed"));
            renamed.ping();

            assertSame(first.stats(), renamed.stats());
            assertEquals(2, renamed.stats().responses("2xx"));
            clients.forget(3);
            assertEquals(List.of("made up", "made up-renamed", "retired up", "retired up-renamed"), told);
        }
    }

    private RegistryEndpoint v2(long id, String name) {
        return new RegistryEndpoint(id, name, RegistryEndpoint.Type.V2, List.of(url()), false, null, null, null);
    }
}
