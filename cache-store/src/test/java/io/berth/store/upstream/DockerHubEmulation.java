package io.berth.store.upstream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.net.URI;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * Docker Hub as Berth meets it, on 127.0.0.1: a registry in the style of {@code registry-1}
 * that challenges every request without a valid token, a token service in the style of
 * {@code auth.docker.io} (another server, as Docker Hub's is another host) and a blob CDN that
 * the registry redirects blob downloads to. Tests add the content stubs they need.
 */
public final class DockerHubEmulation implements AutoCloseable {
    public static final String SERVICE = "registry.docker.io";
    public static final String TOKEN = "hub-token-1";

    public final WireMockServer registry = started();
    public final WireMockServer auth = started();
    public final WireMockServer cdn = started();

    private static WireMockServer started() {
        WireMockServer server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return server;
    }

    public URI registryUrl() {
        return URI.create("http://127.0.0.1:" + registry.port());
    }

    public String realm() {
        return "http://127.0.0.1:" + auth.port() + "/token";
    }

    public String cdnUrl(String path) {
        return "http://127.0.0.1:" + cdn.port() + path;
    }

    /**
     * Every registry request without {@code Bearer TOKEN} gets Docker Hub's 401 challenge (with the
     * pull scope of its repository, none for {@code /v2/}); the token service hands out
     * {@code TOKEN} for any scope, valid {@code expiresIn} seconds (0: no {@code expires_in}).
     */
    public void requireTokens(int expiresIn) {
        registry.stubFor(any(urlPathMatching("/v2/(.+)/(manifests|blobs|tags|referrers)/.*")).atPriority(100)
                .willReturn(challenge("scope=\"repository:{{request.pathSegments.[1]}}/{{request.pathSegments.[2]}}:pull\"")));
        registry.stubFor(any(urlPathEqualTo("/v2/")).atPriority(100).willReturn(challenge(null)));
        registry.stubFor(get(urlPathEqualTo("/v2/")).atPriority(1).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
        auth.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token\":\"" + TOKEN + "\",\"access_token\":\"" + TOKEN + "\""
                        + (expiresIn > 0 ? ",\"expires_in\":" + expiresIn : "")
                        + ",\"issued_at\":\"2026-01-01T00:00:00Z\"}")));
    }

    public ResponseDefinitionBuilder challenge(String scope) {
        String value = "Bearer realm=\"" + realm() + "\",service=\"" + SERVICE + "\"" + (scope == null ? "" : "," + scope);
        return aResponse().withStatus(401).withHeader("WWW-Authenticate", value)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")
                .withTransformers("response-template");
    }

    /**
     * Answers as Docker Hub does for a repository that does not exist, or that the caller may not
     * pull: 401 with {@code error="insufficient_scope"} and an {@code UNAUTHORIZED} error, even to
     * requests carrying a token its token service issued (it never says 404 to such callers).
     */
    public void withoutRepository(String repository) {
        String scope = "repository:" + repository + ":pull";
        registry.stubFor(authorized(any(urlPathMatching("/v2/" + repository + "/.*"))).willReturn(aResponse()
                .withStatus(401).withHeader("Content-Type", "application/json")
                .withHeader("WWW-Authenticate", "Bearer realm=\"" + realm() + "\",service=\"" + SERVICE
                        + "\",scope=\"" + scope + "\",error=\"insufficient_scope\"")
                .withBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\","
                        + "\"detail\":[{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"" + repository
                        + "\",\"Action\":\"pull\"}]}]}")));
    }

    /** A stub that answers only requests carrying the emulation's token. */
    public static MappingBuilder authorized(MappingBuilder request) {
        return request.atPriority(1).withHeader("Authorization", equalTo("Bearer " + TOKEN));
    }

    public int tokenRequests() {
        return auth.findAll(anyRequestedFor(anyUrl())).size();
    }

    public List<LoggedRequest> cdnRequests() {
        return cdn.findAll(anyRequestedFor(anyUrl()));
    }

    @Override
    public void close() {
        registry.stop();
        auth.stop();
        cdn.stop();
    }
}
