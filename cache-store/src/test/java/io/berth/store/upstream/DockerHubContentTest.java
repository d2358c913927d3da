package io.berth.store.upstream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.berth.store.oci.Digest;
import io.berth.store.upstream.Upstream.BlobStream;
import io.berth.store.upstream.Upstream.Manifest;
import io.berth.store.upstream.Upstream.RateLimit;
import io.berth.store.upstream.Upstream.TagPage;
import io.berth.store.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.berth.store.upstream.DockerHubEmulation.authorized;
import static io.berth.store.upstream.UpstreamTesting.INDEX_TYPE;
import static io.berth.store.upstream.UpstreamTesting.MANIFEST_TYPE;
import static io.berth.store.upstream.UpstreamTesting.endpoint;
import static io.berth.store.upstream.UpstreamTesting.fastOptions;
import static io.berth.store.upstream.UpstreamTesting.imageManifest;
import static io.berth.store.upstream.UpstreamTesting.randomBytes;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static io.berth.store.upstream.UpstreamTesting.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Manifests, blobs via the CDN, tags, referrers and the pull budget, from a Docker Hub emulation with tokens. */
class DockerHubContentTest {
    private static final String PULL_LIMIT_BODY = "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have"
            + " reached your unauthenticated pull rate limit.\"}]}";

    private DockerHubEmulation hub;
    private RegistryClient client;

    @BeforeEach
    void start() {
        hub = new DockerHubEmulation();
        hub.requireTokens(300);
        client = new RegistryClient(endpoint(hub.registryUrl()), fastOptions());
    }

    @AfterEach
    void stop() {
        client.close();
        hub.close();
    }

    private void stubManifest(String reference, byte[] bytes, String digestHeader) {
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/alpine/manifests/" + reference)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", MANIFEST_TYPE)
                        .withHeader("Docker-Content-Digest", digestHeader).withBody(bytes)
                        .withHeader("ratelimit-limit", "100;w=21600").withHeader("ratelimit-remaining", "76;w=21600")
                        .withHeader("docker-ratelimit-source", "203.0.113.7")));
    }

    @Test
    void getManifest_byTag_returnsVerifiedBytes_acceptsEveryManifestType_andRecordsTheBudget() throws Exception {
        byte[] bytes = imageManifest("m1");
        stubManifest("3.20", bytes, sha256(bytes).toString());

        Manifest manifest = client.getManifest("library/alpine", "3.20", 4 * 1024 * 1024).orElseThrow();

        assertArrayEquals(bytes, manifest.bytes());
        assertEquals(sha256(bytes), manifest.digest());
        assertEquals(MANIFEST_TYPE, manifest.mediaType());
        LoggedRequest asked = hub.registry.findAll(getRequestedFor(urlPathEqualTo("/v2/library/alpine/manifests/3.20"))
                .withHeader("Authorization", equalTo("Bearer " + DockerHubEmulation.TOKEN))).get(0);
        for (String type : List.of(INDEX_TYPE, MANIFEST_TYPE, "application/vnd.docker.distribution.manifest.v2+json",
                "application/vnd.docker.distribution.manifest.list.v2+json")) {
            assertTrue(asked.getHeader("Accept").contains(type), "Accept lacks " + type);
        }
        assertEquals(new RateLimit(100, 76, 21600, "203.0.113.7"), client.rateLimit().orElseThrow());
    }

    @Test
    void getManifest_whoseBytesDoNotMatchTheDigestAskedFor_isRefused() {
        byte[] bytes = imageManifest("m2");
        Digest asked = sha256(imageManifest("something else"));
        stubManifest(asked.toString(), bytes, asked.toString());

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.getManifest("library/alpine", asked.toString(), 1 << 20));
        assertEquals(Kind.INVALID_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("wrong bytes"), e.getMessage());
    }

    @Test
    void getManifest_whoseBytesDoNotMatchDockerContentDigest_isRefused() {
        byte[] bytes = imageManifest("m3");
        stubManifest("3.20", bytes, sha256(imageManifest("other")).toString());

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.getManifest("library/alpine", "3.20", 1 << 20));
        assertEquals(Kind.INVALID_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("Docker-Content-Digest"), e.getMessage());
    }

    @Test
    void getManifest_largerThanTheLimit_isRefused() {
        byte[] bytes = utf8("{\"schemaVersion\":2,\"annotations\":{\"pad\":\"" + "x".repeat(2000) + "\"}}");
        stubManifest("big", bytes, sha256(bytes).toString());

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.getManifest("library/alpine", "big", 1024));
        assertEquals(Kind.INVALID_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("over the limit of 1024 bytes"), e.getMessage());
    }

    @Test
    void unknownManifest_isEmpty() throws Exception {
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/alpine/manifests/nope"))).willReturn(aResponse()
                .withStatus(404).withBody("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"unknown\"}]}")));
        assertTrue(client.getManifest("library/alpine", "nope", 1 << 20).isEmpty());
    }

    @Test
    void blobGet_followsTheRedirectToTheCdn_withoutSendingAuthorizationThere() throws Exception {
        byte[] blob = randomBytes(300_000, 1);
        Digest digest = sha256(blob);
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/alpine/blobs/" + digest))).willReturn(aResponse()
                .withStatus(307).withHeader("Location", hub.cdnUrl("/registry-v2/blobs/x?sig=abc&expires=1"))));
        hub.cdn.stubFor(get(urlPathEqualTo("/registry-v2/blobs/x")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/octet-stream")
                .withHeader("Content-Length", String.valueOf(blob.length)).withBody(blob)));

        try (BlobStream stream = client.getBlob("library/alpine", digest, 0).orElseThrow()) {
            assertEquals(blob.length, stream.size());
            assertArrayEquals(blob, stream.body().readAllBytes());
        }
        assertEquals(1, hub.cdnRequests().size());
        assertFalse(hub.cdnRequests().get(0).containsHeader("Authorization"), "the CDN must not see the token");
        hub.registry.verify(1, getRequestedFor(urlPathEqualTo("/v2/library/alpine/blobs/" + digest))
                .withHeader("Authorization", equalTo("Bearer " + DockerHubEmulation.TOKEN)));
    }

    @Test
    void blobGet_fromAnOffset_asksForTheRestOfTheBlob() throws Exception {
        byte[] blob = randomBytes(10_000, 2);
        Digest digest = sha256(blob);
        byte[] rest = java.util.Arrays.copyOfRange(blob, 4000, blob.length);
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/alpine/blobs/" + digest)))
                .withHeader("Range", equalTo("bytes=4000-")).willReturn(aResponse().withStatus(206)
                        .withHeader("Content-Range", "bytes 4000-9999/10000").withBody(rest)));

        try (BlobStream stream = client.getBlob("library/alpine", digest, 4000).orElseThrow()) {
            assertEquals(4000, stream.offset());
            assertEquals(6000, stream.length());
            assertEquals(10_000, stream.size());
            assertArrayEquals(rest, stream.body().readAllBytes());
        }
    }

    @Test
    void blobHead_reportsTheSize_andUnknownBlobIsEmpty() throws Exception {
        Digest digest = sha256(utf8("blob"));
        hub.registry.stubFor(authorized(head(urlPathEqualTo("/v2/library/alpine/blobs/" + digest)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Length", "1234")));
        hub.registry.stubFor(authorized(head(urlPathEqualTo("/v2/library/alpine/blobs/" + sha256(utf8("none")))))
                .willReturn(aResponse().withStatus(404)));

        assertEquals(1234, client.headBlob("library/alpine", digest).orElseThrow());
        assertTrue(client.headBlob("library/alpine", sha256(utf8("none"))).isEmpty());
    }

    @Test
    void tags_passPageParameters_andReportMoreFromTheLinkHeader() throws Exception {
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/alpine/tags/list")))
                .withQueryParam("n", equalTo("2")).withQueryParam("last", equalTo("3.19"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("Link", "</v2/library/alpine/tags/list?last=3.21&n=2>; rel=\"next\"")
                        .withBody("{\"name\":\"library/alpine\",\"tags\":[\"3.20\",\"3.21\"]}")));
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/alpine/tags/list")))
                .withQueryParam("last", equalTo("3.21")).willReturn(aResponse().withStatus(200)
                        .withBody("{\"name\":\"library/alpine\",\"tags\":[\"latest\"]}")));

        assertEquals(new TagPage(List.of("3.20", "3.21"), true), client.tags("library/alpine", "3.19", 2).orElseThrow());
        assertEquals(new TagPage(List.of("latest"), false), client.tags("library/alpine", "3.21", 2).orElseThrow());
    }

    @Test
    void referrers_anIndexIsReturned_aMissingApiOrOtherAnswerIsEmpty() throws Exception {
        Digest subject = sha256(utf8("subject"));
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX_TYPE + "\",\"manifests\":[]}");
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/alpine/referrers/" + subject)))
                .withQueryParam("artifactType", equalTo("application/vnd.example+json"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", INDEX_TYPE).withBody(index)));
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/redis/referrers/" + subject)))
                .willReturn(aResponse().withStatus(404)));
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/nginx/referrers/" + subject)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html/>")));

        Manifest referrers = client.referrers("library/alpine", subject, "application/vnd.example+json").orElseThrow();
        assertArrayEquals(index, referrers.bytes());
        assertEquals(sha256(index), referrers.digest());
        assertTrue(client.referrers("library/redis", subject, null).isEmpty());
        assertTrue(client.referrers("library/nginx", subject, null).isEmpty());
    }

    @Test
    void dockerHubPullLimit_failsAtOnceWithItsWait_andIsLoggedAsThePullLimit() {
        RegistryClient patient = new RegistryClient(endpoint(hub.registryUrl()),
                fastOptions().withRetries(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)));
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/alpine/manifests/3.20"))).willReturn(aResponse()
                .withStatus(429).withHeader("Retry-After", "3600").withHeader("ratelimit-limit", "100;w=21600")
                .withHeader("ratelimit-remaining", "0;w=21600").withBody(PULL_LIMIT_BODY)));
        ListAppender<ILoggingEvent> logs = capture();
        try (patient) {
            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> patient.getManifest("library/alpine", "3.20", 1 << 20));

            assertEquals(Kind.RATE_LIMITED, e.kind());
            assertEquals(Duration.ofHours(1), e.retryAfter().orElseThrow());
            assertTrue(e.getMessage().contains("Docker Hub's pull rate limit"), e.getMessage());
            hub.registry.verify(1, getRequestedFor(urlPathEqualTo("/v2/library/alpine/manifests/3.20"))
                    .withHeader("Authorization", equalTo("Bearer " + DockerHubEmulation.TOKEN)));
            assertTrue(logs.list.stream().anyMatch(l -> l.getFormattedMessage().contains("pull rate limit reached")));
            assertEquals(0, patient.rateLimit().orElseThrow().remaining());
        } finally {
            release(logs);
        }
    }

    @Test
    void other429_withAShortRetryAfter_isWaitedForAndRetried_andLoggedAsA429() throws Exception {
        RegistryClient patient = new RegistryClient(endpoint(hub.registryUrl()),
                fastOptions().withRetries(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)));
        byte[] bytes = imageManifest("m5");
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/alpine/manifests/3.20"))).inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("calm")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/library/alpine/manifests/3.20"))).inScenario("busy")
                .whenScenarioStateIs("calm").willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", MANIFEST_TYPE).withBody(bytes)));
        ListAppender<ILoggingEvent> logs = capture();
        try (patient) {
            assertArrayEquals(bytes, patient.getManifest("library/alpine", "3.20", 1 << 20).orElseThrow().bytes());
            assertTrue(logs.list.stream().anyMatch(l -> l.getFormattedMessage().contains("429 Too Many Requests")));
            assertFalse(logs.list.stream().anyMatch(l -> l.getFormattedMessage().contains("pull rate limit")));
        } finally {
            release(logs);
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(RateLimits.class)).addAppender(appender);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(RateLimits.class)).detachAppender(appender);
    }
}
