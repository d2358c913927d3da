package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.testing.MutableClock;
import io.berth.store.upstream.Upstream.ManifestHead;
import io.berth.store.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.berth.store.upstream.DockerHubEmulation.authorized;
import static io.berth.store.upstream.UpstreamTesting.MANIFEST_TYPE;
import static io.berth.store.upstream.UpstreamTesting.endpoint;
import static io.berth.store.upstream.UpstreamTesting.fastOptions;
import static io.berth.store.upstream.UpstreamTesting.imageManifest;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token dance against a Docker Hub emulation: tokens fetched once, reused, renewed, and kept at home. */
class DockerHubTokenDanceTest {
    private DockerHubEmulation hub;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    @BeforeEach
    void start() {
        hub = new DockerHubEmulation();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private void stubManifestHead(String repository, String tag, byte[] manifest) {
        hub.registry.stubFor(authorized(head(urlPathEqualTo("/v2/" + repository + "/manifests/" + tag)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", MANIFEST_TYPE)
                        .withHeader("Docker-Content-Digest", sha256(manifest).toString())
                        .withHeader("Content-Length", String.valueOf(manifest.length))));
    }

    @Test
    void headManifest_afterTheChallenge_fetchesATokenForThePullScopeAndAnswers() throws Exception {
        hub.requireTokens(300);
        byte[] manifest = imageManifest("a");
        stubManifestHead("library/alpine", "3.20", manifest);
        try (RegistryClient client = new RegistryClient(endpoint(hub.registryUrl()), fastOptions(), clock)) {
            ManifestHead head = client.headManifest("library/alpine", "3.20").orElseThrow();

            assertEquals(sha256(manifest), head.digest());
            assertEquals(MANIFEST_TYPE, head.mediaType());
            assertEquals(manifest.length, head.size());
            hub.auth.verify(1, getRequestedFor(urlPathEqualTo("/token"))
                    .withQueryParam("service", equalTo(DockerHubEmulation.SERVICE))
                    .withQueryParam("scope", equalTo("repository:library/alpine:pull"))
                    .withHeader("Authorization", absent()));
        }
    }

    @Test
    void manyRequests_sequentialAndConcurrent_signInOnce() throws Exception {
        hub.requireTokens(300);
        byte[] manifest = imageManifest("b");
        stubManifestHead("library/alpine", "3.20", manifest);
        try (RegistryClient client = new RegistryClient(endpoint(hub.registryUrl()), fastOptions(), clock);
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 10; i++) {
                client.headManifest("library/alpine", "3.20").orElseThrow();
            }
            List<Future<ManifestHead>> heads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                heads.add(pool.submit(() -> client.headManifest("library/alpine", "3.20").orElseThrow()));
            }
            for (Future<ManifestHead> f : heads) {
                assertEquals(sha256(manifest), f.get().digest());
            }
            assertEquals(1, hub.tokenRequests(), "26 pulls of one repository must cost one sign-in");
            // After the first challenge the client signs in before asking: one 401 in all.
            assertEquals(1, hub.registry.findAll(anyRequestedFor(anyUrl()).withHeader("Authorization", absent())).size());
        }
    }

    @Test
    void concurrentFirstRequests_shareOneTokenFetch() throws Exception {
        hub.requireTokens(300);
        stubManifestHead("library/busybox", "1", imageManifest("c"));
        try (RegistryClient client = new RegistryClient(endpoint(hub.registryUrl()), fastOptions(), clock);
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<ManifestHead>> heads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                heads.add(pool.submit(() -> client.headManifest("library/busybox", "1").orElseThrow()));
            }
            for (Future<ManifestHead> f : heads) {
                f.get();
            }
            assertEquals(1, hub.tokenRequests());
        }
    }

    @Test
    void token_isRenewedOnlyWhenItExpires_sixtySecondsWithoutExpiresIn() throws Exception {
        hub.requireTokens(0);
        stubManifestHead("library/alpine", "3.20", imageManifest("d"));
        try (RegistryClient client = new RegistryClient(endpoint(hub.registryUrl()), fastOptions(), clock)) {
            client.headManifest("library/alpine", "3.20").orElseThrow();
            clock.advance(Duration.ofSeconds(40));
            client.headManifest("library/alpine", "3.20").orElseThrow();
            assertEquals(1, hub.tokenRequests(), "a 60-second token is still good after 40 s");

            clock.advance(Duration.ofSeconds(21));
            client.headManifest("library/alpine", "3.20").orElseThrow();
            assertEquals(2, hub.tokenRequests(), "after 61 s the token has expired and is fetched anew");
        }
    }

    @Test
    void otherRepository_getsItsOwnScopedToken() throws Exception {
        hub.requireTokens(300);
        stubManifestHead("library/alpine", "3.20", imageManifest("e"));
        stubManifestHead("library/redis", "7", imageManifest("f"));
        try (RegistryClient client = new RegistryClient(endpoint(hub.registryUrl()), fastOptions(), clock)) {
            client.headManifest("library/alpine", "3.20").orElseThrow();
            client.headManifest("library/redis", "7").orElseThrow();
            client.headManifest("library/redis", "7").orElseThrow();
            assertEquals(2, hub.tokenRequests());
            hub.auth.verify(1, getRequestedFor(urlPathEqualTo("/token"))
                    .withQueryParam("scope", equalTo("repository:library/redis:pull")));
        }
    }

    @Test
    void basicCredential_goesToTheTokenServiceOfTheSameHost_andNeverInAMessage() throws Exception {
        hub.requireTokens(300);
        stubManifestHead("library/alpine", "3.20", imageManifest("g"));
        Credential credential = new Credential.Basic("hubuser", "s3cret-pass");
        try (RegistryClient client = new RegistryClient(endpoint(credential, hub.registryUrl()), fastOptions(), clock)) {
            client.headManifest("library/alpine", "3.20").orElseThrow();
            hub.auth.verify(1, getRequestedFor(urlPathEqualTo("/token"))
                    .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials("hubuser", "s3cret-pass")));

            hub.auth.resetAll();
            hub.auth.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"details\":\"incorrect username or password\"}")));
            UpstreamException refused = assertThrows(UpstreamException.class,
                    () -> client.headManifest("library/redis", "7"));
            assertEquals(Kind.UNAUTHORIZED, refused.kind());
            assertTrue(refused.getMessage().contains("incorrect username or password"), refused.getMessage());
            assertFalse(refused.getMessage().contains("s3cret-pass"), refused.getMessage());
        }
    }

    @Test
    void tokenRealmOnAnotherHost_isRefusedWithoutContactingIt() throws Exception {
        String elsewhere = "http://localhost:" + hub.auth.port() + "/token";
        hub.registry.stubFor(head(urlPathEqualTo("/v2/library/alpine/manifests/3.20")).willReturn(aResponse()
                .withStatus(401).withHeader("WWW-Authenticate", "Bearer realm=\"" + elsewhere + "\",service=\"x\"")));
        Credential credential = new Credential.Basic("hubuser", "s3cret-pass");
        try (RegistryClient client = new RegistryClient(endpoint(credential, hub.registryUrl()), fastOptions(), clock)) {
            UpstreamException e = assertThrows(UpstreamException.class, () -> client.headManifest("library/alpine", "3.20"));

            assertEquals(Kind.INVALID_RESPONSE, e.kind());
            assertTrue(e.getMessage().contains("not on its domain"), e.getMessage());
            assertEquals(0, hub.tokenRequests(), "the foreign realm must not be contacted");
        }
    }

    @Test
    void tokenTheUpstreamNoLongerAccepts_isReplacedOnce() throws Exception {
        hub.requireTokens(300);
        byte[] manifest = imageManifest("h");
        stubManifestHead("library/alpine", "3.20", manifest);
        try (RegistryClient client = new RegistryClient(endpoint(hub.registryUrl()), fastOptions(), clock)) {
            client.headManifest("library/alpine", "3.20").orElseThrow();
            // The upstream revokes hub-token-1 and its token service now hands out hub-token-2.
            hub.registry.resetAll();
            hub.registry.stubFor(head(urlPathEqualTo("/v2/library/alpine/manifests/3.20")).atPriority(100)
                    .willReturn(hub.challenge("scope=\"repository:library/alpine:pull\"")));
            hub.registry.stubFor(head(urlPathEqualTo("/v2/library/alpine/manifests/3.20")).atPriority(1)
                    .withHeader("Authorization", equalTo("Bearer hub-token-2")).willReturn(aResponse().withStatus(200)
                            .withHeader("Docker-Content-Digest", sha256(manifest).toString())));
            hub.auth.resetAll();
            hub.auth.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200)
                    .withBody("{\"token\":\"hub-token-2\",\"expires_in\":300}")));

            assertEquals(sha256(manifest), client.headManifest("library/alpine", "3.20").orElseThrow().digest());
            assertEquals(1, hub.tokenRequests());
        }
    }

    @Test
    void repositoryRefusedWithAnIssuedToken_isRepositoryRefused_notUnauthorized() throws Exception {
        hub.requireTokens(300);
        hub.withoutRepository("library/no-such-image");
        try (RegistryClient client = new RegistryClient(endpoint(hub.registryUrl()), fastOptions(), clock)) {
            for (int pull = 1; pull <= 2; pull++) { // the second sends its token up front
                UpstreamException e = assertThrows(UpstreamException.class,
                        () -> client.getManifest("library/no-such-image", "latest", 1 << 20));

                assertEquals(Kind.REPOSITORY_REFUSED, e.kind());
                assertEquals(401, e.status());
                assertTrue(e.getMessage().contains("no such repository"), e.getMessage());
                assertFalse(e.getMessage().contains(DockerHubEmulation.TOKEN), e.getMessage());
            }
        }
    }

    @Test
    void ping_signsInWithoutScope() throws Exception {
        hub.requireTokens(300);
        try (RegistryClient client = new RegistryClient(endpoint(hub.registryUrl()), fastOptions(), clock)) {
            client.ping();
            hub.auth.verify(1, getRequestedFor(urlPathEqualTo("/token")).withQueryParam("scope", absent()));
        }
    }

    @Test
    void staticToken_isSentAsBearer_withoutTokenDance() throws Exception {
        Digest digest = sha256(imageManifest("i"));
        hub.registry.stubFor(head(urlPathEqualTo("/v2/acme/app/manifests/1")).withHeader("Authorization",
                equalTo("Bearer pat-123")).willReturn(aResponse().withStatus(200)
                .withHeader("Docker-Content-Digest", digest.toString())));
        RegistryEndpoint endpoint = endpoint(new Credential.Token("pat-123"), hub.registryUrl());
        try (RegistryClient client = new RegistryClient(endpoint, fastOptions(), clock)) {
            assertEquals(digest, client.headManifest("acme/app", "1").orElseThrow().digest());
            assertEquals(0, hub.tokenRequests());
        }
    }
}
