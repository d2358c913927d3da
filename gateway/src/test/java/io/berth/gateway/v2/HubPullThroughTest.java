package io.berth.gateway.v2;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.testing.Await;
import io.berth.gateway.testing.HubContent;
import io.berth.gateway.testing.HubProxy;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.gateway.testing.V2Client;
import io.berth.store.upstream.DockerHubEmulation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pulls through the proxy project {@code hub} as a client makes them, over the real gateway, the
 * pull-through cache and the upstream client, from a Docker Hub emulation (token service, registry,
 * CDN): the token dance, blobs from the CDN without the token, a warm pull that asks the upstream
 * for nothing but a HEAD, a repository Docker Hub refuses (404, not a sign-in prompt), and a low
 * pull budget that serves cached tags without asking.
 */
class HubPullThroughTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();
    private static long endpoint;

    private DockerHubEmulation hub;
    private HubProxy proxy;

    @BeforeAll
    static void proxyProject() {
        endpoint = HubProxy.createProject(SERVER);
    }

    @BeforeEach
    void dockerHub() throws IOException {
        hub = new DockerHubEmulation();
        hub.requireTokens(300);
        proxy = HubProxy.open(SERVER, endpoint, hub.registryUrl(), HubProxy.upstreamOptions(Duration.ofSeconds(20)),
                Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        proxy.close();
        hub.close();
    }

    private static V2Client client() {
        return SERVER.client();
    }

    private static HttpResponse<byte[]> manifest(String repository, String reference) {
        return client().get("/v2/hub/" + repository + "/manifests/" + reference, "Accept", OCI_MANIFEST);
    }

    private static void assertPulls(String repository, String tag, Blob image, Blob... blobs) {
        HttpResponse<byte[]> manifest = manifest(repository, tag);
        assertStatus(200, manifest);
        assertArrayEquals(image.bytes(), manifest.body());
        assertHeader(image.digest(), manifest, "Docker-Content-Digest");
        for (Blob blob : blobs) {
            HttpResponse<byte[]> answer = client().get("/v2/hub/" + repository + "/blobs/" + blob.digest());
            assertStatus(200, answer);
            assertArrayEquals(blob.bytes(), answer.body(), "the bytes of " + blob.digest());
        }
    }

    @Test
    void pullByTag_signsInOnce_fetchesBlobsFromTheCdnWithoutTheToken_andAWarmPullAsksOnlyAHead() throws Exception {
        Blob config = TestContent.config(501);
        Blob layer = TestContent.layer(501, 300_000);
        Blob image = TestContent.image(config, layer).build();
        HubContent.manifest(hub, "library/alpine", "3.20", image, 76);
        HubContent.blobViaCdn(hub, "library/alpine", config.bytes());
        HubContent.blobViaCdn(hub, "library/alpine", layer.bytes());

        assertPulls("alpine", "3.20", image, config, layer);

        assertEquals(1, hub.tokenRequests(), "one sign-in for the pull scope of library/alpine");
        hub.auth.verify(getRequestedFor(urlPathEqualTo("/token"))
                .withQueryParam("scope", equalTo("repository:library/alpine:pull"))
                .withQueryParam("service", equalTo(DockerHubEmulation.SERVICE)));
        assertEquals(2, hub.cdnRequests().size(), "each blob came from the CDN once");
        hub.cdnRequests().forEach(r -> assertFalse(r.containsHeader("Authorization"), "the CDN never sees the token"));
        hub.registry.verify(2, getRequestedFor(urlPathMatching("/v2/library/alpine/blobs/.*"))
                .withHeader("Authorization", equalTo("Bearer " + DockerHubEmulation.TOKEN)));
        Await.until(() -> links("library/alpine", layer) && links("library/alpine", config), "the blobs are cached");
        hub.registry.resetRequests();
        hub.cdn.resetRequests();

        assertPulls("alpine", "3.20", image, config, layer);

        hub.registry.verify(0, getRequestedFor(urlPathMatching("/v2/.*")));
        hub.registry.verify(1, headRequestedFor(urlPathEqualTo("/v2/library/alpine/manifests/3.20")));
        assertEquals(0, hub.cdnRequests().size(), "a warm pull fetches no blob");
        assertEquals(1, hub.tokenRequests(), "the token is reused");
    }

    @Test
    void repositoryDockerHubRefusesWithAToken_isUnknown_notASignInPrompt() throws Exception {
        hub.withoutRepository("library/no-such-image");
        String blob = TestContent.digest(TestContent.bytes(502, 10));

        JsonNode manifestError = assertError(manifest("no-such-image", "latest"), 404, "NAME_UNKNOWN");
        JsonNode blobError = assertError(client().get("/v2/hub/no-such-image/blobs/" + blob), 404, "NAME_UNKNOWN");

        for (JsonNode error : new JsonNode[] {manifestError, blobError}) {
            String message = error.get("message").asText();
            assertTrue(message.contains("library/no-such-image") && message.contains("no such repository")
                    && message.contains("refuses"), message);
        }
        assertTrue(hub.tokenRequests() >= 1, "Berth signed in before it was refused");
        assertFalse(proxy.stores(blob), "nothing is cached");
    }

    @Test
    void lowPullBudget_servesTheCachedTag_withoutRevalidating() throws Exception {
        Blob image = TestContent.image(TestContent.config(503), TestContent.layer(503, 1000)).build();
        HubContent.manifest(hub, "library/redis", "7", image, 3);
        assertPulls("redis", "7", image);
        hub.registry.resetRequests();

        assertPulls("redis", "7", image);

        hub.registry.verify(0, headRequestedFor(urlPathMatching("/v2/.*")));
        hub.registry.verify(0, getRequestedFor(urlPathMatching("/v2/.*")));
        assertEquals(1, proxy.counters().rateLimitedSkips());
    }

    private boolean links(String repository, Blob blob) {
        try {
            return proxy.links(repository, blob.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
