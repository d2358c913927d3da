package io.berth.gateway.v2;

import io.berth.gateway.testing.Await;
import io.berth.gateway.testing.HubContent;
import io.berth.gateway.testing.HubProxy;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.TestContent.Blob;
import io.berth.store.upstream.DockerHubEmulation;
import io.berth.store.upstream.RawHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.berth.store.upstream.DockerHubEmulation.authorized;
import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.header;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Manifests by tag through the proxy project {@code hub} while Docker Hub fails: it stalls (a tag
 * cached before is served stale by the deadline, one never cached fails fast with 503), answers
 * 500 (503 {@code UNAVAILABLE}, or the cached copy), 429 with {@code Retry-After} (429
 * {@code TOOMANYREQUESTS} with the same {@code Retry-After}, or the cached copy), or sends bytes
 * that do not match its digest (503, nothing cached).
 */
class HubManifestFaultsTest {
    private static final String REPOSITORY = "library/nginx";
    private static final Duration SHORT_DEADLINE = Duration.ofSeconds(2);

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

    private static HttpResponse<byte[]> manifest(String tag) {
        return SERVER.client().get("/v2/hub/nginx/manifests/" + tag, "Accept", OCI_MANIFEST);
    }

    private static Blob image(long seed) {
        return TestContent.image(TestContent.config(seed), TestContent.layer(seed, 500)).build();
    }

    /** Pulls the tag once from the healthy emulation, so that the proxy caches it. */
    private Blob cached(String tag, long seed) {
        Blob image = image(seed);
        HubContent.manifest(hub, REPOSITORY, tag, image, 90);
        assertServed(image, manifest(tag));
        return image;
    }

    private static void assertServed(Blob image, HttpResponse<byte[]> answer) {
        assertStatus(200, answer);
        assertArrayEquals(image.bytes(), answer.body());
        assertHeader(image.digest(), answer, "Docker-Content-Digest");
    }

    /** A registry that takes every request and answers none for 30 seconds. */
    private static RawHttpServer stalling(CountDownLatch stallOver) throws IOException {
        return new RawHttpServer((head, socket, out) -> stallOver.await(30, TimeUnit.SECONDS));
    }

    /** From now on, {@code hub} asks {@code upstream} and waits for it {@link #SHORT_DEADLINE} at most. */
    private void upstreamIs(RawHttpServer upstream) throws IOException {
        proxy.close();
        proxy = HubProxy.open(SERVER, endpoint, upstream.url(), HubProxy.upstreamOptions(Duration.ofSeconds(20)),
                SHORT_DEADLINE);
    }

    @Test
    void stallingUpstream_aCachedTagIsServedStale_beforeTheStallEnds() throws Exception {
        Blob image = cached("1.27", 701);
        CountDownLatch stallOver = new CountDownLatch(1);
        try (RawHttpServer stalled = stalling(stallOver)) {
            upstreamIs(stalled);

            assertServed(image, manifest("1.27"));

            assertEquals(1, stallOver.getCount(), "served while the upstream still stalled");
            Await.until(() -> stalled.requests() >= 1, "the stale tag was revalidated");
            assertEquals(1, proxy.counters().staleServed());
            stallOver.countDown();
        }
    }

    @Test
    void stallingUpstream_aTagNeverCachedFailsFastWithUnavailable() throws Exception {
        CountDownLatch stallOver = new CountDownLatch(1);
        try (RawHttpServer stalled = stalling(stallOver)) {
            upstreamIs(stalled);

            HttpResponse<byte[]> answer = manifest("never-pulled");

            assertError(answer, 503, "UNAVAILABLE");
            assertEquals("2", header(answer, "Retry-After"));
            assertEquals(1, stallOver.getCount(), "answered while the upstream still stalled");
            stallOver.countDown();
        }
    }

    @Test
    void serverErrors_anUncachedTagIsUnavailable_aCachedOneIsServedStale() {
        Blob image = cached("1.26", 702);
        HubContent.manifestFails(hub, REPOSITORY, "1.26", aResponse().withStatus(500));
        HubContent.manifestFails(hub, REPOSITORY, "1.25", aResponse().withStatus(503)
                .withBody("<html><body>Service Unavailable</body></html>"));

        assertServed(image, manifest("1.26"));
        HttpResponse<byte[]> unavailable = manifest("1.25");

        assertEquals(1, proxy.counters().staleServed());
        assertError(unavailable, 503, "UNAVAILABLE");
        assertHeader("1", unavailable, "Retry-After");
        Blob later = image(703);
        HubContent.manifest(hub, REPOSITORY, "1.25", later, 90);
        assertServed(later, manifest("1.25"));
    }

    @Test
    void pullRateLimit_anUncachedTagIsTooManyRequestsWithItsRetryAfter_aCachedOneIsServedStale() {
        Blob image = cached("1.24", 704);
        var limited = aResponse().withStatus(429).withHeader("Retry-After", "120")
                .withHeader("ratelimit-limit", "100;w=21600").withHeader("ratelimit-remaining", "0;w=21600")
                .withBody("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your"
                        + " unauthenticated pull rate limit.\"}]}");
        HubContent.manifestFails(hub, REPOSITORY, "1.24", limited);
        HubContent.manifestFails(hub, REPOSITORY, "1.23", limited);

        assertServed(image, manifest("1.24"));
        HttpResponse<byte[]> tooMany = manifest("1.23");

        assertEquals(1, proxy.counters().staleServed());
        assertError(tooMany, 429, "TOOMANYREQUESTS");
        assertHeader("120", tooMany, "Retry-After");
    }

    @Test
    void bytesThatDoNotMatchTheirDigest_areUnavailable_andNothingIsCached() {
        Blob image = image(705);
        Blob other = image(706);
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/" + REPOSITORY + "/manifests/1.22")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", OCI_MANIFEST)
                        .withHeader("Docker-Content-Digest", image.digest()).withBody(other.bytes())));
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/" + REPOSITORY + "/manifests/" + other.digest())))
                .willReturn(aResponse().withStatus(404).withBody("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\","
                        + "\"message\":\"manifest unknown\"}]}")));

        assertError(manifest("1.22"), 503, "UNAVAILABLE");

        assertError(manifest(other.digest()), 404, "MANIFEST_UNKNOWN"); // the wrong bytes are not cached either
        HubContent.manifest(hub, REPOSITORY, "1.22", image, 90);
        assertServed(image, manifest("1.22"));
    }
}
