package io.berth.store.upstream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.berth.store.oci.Digest;
import io.berth.store.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.berth.store.upstream.DockerHubEmulation.authorized;
import static io.berth.store.upstream.UpstreamTesting.MANIFEST_TYPE;
import static io.berth.store.upstream.UpstreamTesting.fastOptions;
import static io.berth.store.upstream.UpstreamTesting.imageManifest;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writes' token scopes, retries, redirects and refusals, against a token registry emulated
 * with WireMock: one token for a mount's two repositories, a manifest PUT retried with the same
 * bytes, a registry that stores other bytes or redirects a write elsewhere refused, a catalog the
 * token may not list read as none.
 */
class RegistryWriterTest {
    private static final String REPO = "site/app";
    private static final byte[] MANIFEST = imageManifest("writer");
    private static final Digest DIGEST = sha256(MANIFEST);
    private static final String MANIFEST_PATH = "/v2/" + REPO + "/manifests/v1";

    private DockerHubEmulation hub;
    private RegistryClient client;

    @BeforeEach
    void start() {
        hub = new DockerHubEmulation();
        hub.auth.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token\":\"" + DockerHubEmulation.TOKEN + "\",\"expires_in\":300}")));
        client = new RegistryClient(BlobUploadFaultsTest.v2(hub.registryUrl()),
                fastOptions().withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        client.close();
        hub.close();
    }

    private void challenge(com.github.tomakehurst.wiremock.client.MappingBuilder request, String scope) {
        hub.registry.stubFor(request.atPriority(100).willReturn(hub.challenge("scope=\"" + scope + "\"")));
    }

    @Test
    void mount_asksOneTokenForBothRepositories() throws Exception {
        String uploads = "/v2/" + REPO + "/blobs/uploads/";
        challenge(post(urlPathEqualTo(uploads)), "repository:" + REPO + ":pull,push");
        hub.registry.stubFor(authorized(post(urlPathEqualTo(uploads))).willReturn(aResponse().withStatus(201)
                .withHeader("Docker-Content-Digest", DIGEST.toString())));

        assertTrue(client.writer().mountBlob(REPO, DIGEST, "site/base"));

        hub.auth.verify(1, getRequestedFor(urlPathEqualTo("/token")).withQueryParam("scope",
                havingExactly("repository:site/app:pull,push", "repository:site/base:pull")));
        assertEquals(1, hub.tokenRequests());
    }

    @Test
    void manifestPut_failingWith503_isRetried_withTheSameBytes() throws Exception {
        challenge(put(urlPathEqualTo(MANIFEST_PATH)), "repository:" + REPO + ":pull,push");
        hub.registry.stubFor(authorized(put(urlPathEqualTo(MANIFEST_PATH))).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(503)));
        hub.registry.stubFor(authorized(put(urlPathEqualTo(MANIFEST_PATH))).inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(201).withHeader("Docker-Content-Digest", DIGEST.toString())));

        assertEquals(DIGEST, client.writer().putManifest(REPO, "v1", MANIFEST_TYPE, MANIFEST));

        hub.registry.verify(2, putRequestedFor(urlPathEqualTo(MANIFEST_PATH))
                .withHeader("Authorization", equalTo("Bearer " + DockerHubEmulation.TOKEN))
                .withHeader("Content-Type", equalTo(MANIFEST_TYPE)).withRequestBody(binaryEqualTo(MANIFEST)));
    }

    @Test
    void manifestPut_storedUnderAnotherDigest_isRefused() {
        hub.registry.stubFor(put(urlPathEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Docker-Content-Digest", sha256(imageManifest("other")).toString())));

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> client.writer().putManifest(REPO, "v1", MANIFEST_TYPE, MANIFEST));

        assertEquals(Kind.INVALID_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("other bytes than Berth sent"), e.getMessage());
    }

    @Test
    void manifestPut_redirectedToAnotherOrigin_isNotFollowed() {
        WireMockServer elsewhere = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        elsewhere.start();
        try {
            hub.registry.stubFor(put(urlPathEqualTo(MANIFEST_PATH)).willReturn(aResponse().withStatus(307)
                    .withHeader("Location", "http://127.0.0.1:" + elsewhere.port() + MANIFEST_PATH)));

            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> client.writer().putManifest(REPO, "v1", MANIFEST_TYPE, MANIFEST));

            assertEquals(Kind.INVALID_RESPONSE, e.kind());
            assertTrue(e.getMessage().contains("307"), e.getMessage());
            assertTrue(elsewhere.findAll(anyRequestedFor(anyUrl())).isEmpty());
        } finally {
            elsewhere.stop();
        }
    }

    @Test
    void deleteManifest_asksForTheDeleteScope_andFindsNothingAsFalse() throws Exception {
        String path = "/v2/" + REPO + "/manifests/" + DIGEST;
        challenge(delete(urlPathEqualTo(path)), "repository:" + REPO + ":delete");
        hub.registry.stubFor(authorized(delete(urlPathEqualTo(path))).willReturn(aResponse().withStatus(404)
                .withBody("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}")));

        assertFalse(client.writer().deleteManifest(REPO, DIGEST.toString()));

        hub.auth.verify(1, getRequestedFor(urlPathEqualTo("/token")).withQueryParam("scope",
                havingExactly("repository:" + REPO + ":delete")));
    }

    @Test
    void catalog_thatTheTokenMayNotList_isNone() throws Exception {
        challenge(get(urlPathEqualTo("/v2/_catalog")), "registry:catalog:*");
        hub.registry.stubFor(authorized(get(urlPathEqualTo("/v2/_catalog"))).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"" + hub.realm() + "\",service=\""
                        + DockerHubEmulation.SERVICE + "\",scope=\"registry:catalog:*\",error=\"insufficient_scope\"")
                .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));

        assertTrue(client.writer().catalog(null, 100).isEmpty());
    }

    @Test
    void catalog_withAWrongPassword_isAnError() {
        hub.registry.stubFor(get(urlPathEqualTo("/v2/_catalog")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"registry\"")
                .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
        try (RegistryClient basic = new RegistryClient(new RegistryEndpoint(2, "basic", RegistryEndpoint.Type.V2,
                List.of(hub.registryUrl()), false, null, new Credential.Basic("robot", "wrong"), null), fastOptions())) {
            UpstreamException e = assertThrows(UpstreamException.class, () -> basic.writer().catalog(null, 100));

            assertEquals(Kind.UNAUTHORIZED, e.kind());
        }
    }

    @Test
    void catalog_thatTheRegistryDoesNotHave_isNone() throws Exception {
        hub.registry.stubFor(get(urlPathEqualTo("/v2/_catalog")).willReturn(aResponse().withStatus(404)));

        assertTrue(client.writer().catalog(null, 100).isEmpty());
    }
}
