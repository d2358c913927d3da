package io.berth.store.upstream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.berth.store.oci.Digest;
import io.berth.store.upstream.Upstream.BlobStream;
import io.berth.store.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.berth.store.upstream.UpstreamTesting.endpoint;
import static io.berth.store.upstream.UpstreamTesting.fastOptions;
import static io.berth.store.upstream.UpstreamTesting.randomBytes;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which redirects are followed: a few, over http(s), never in a loop, never with credentials off the registry. */
class RedirectPolicyTest {
    private static final byte[] BLOB = randomBytes(2000, 11);
    private static final Digest DIGEST = sha256(BLOB);
    private static final String BLOB_PATH = "/v2/library/alpine/blobs/" + DIGEST;

    private WireMockServer registry;
    private WireMockServer storage;

    @BeforeEach
    void start() {
        registry = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        storage = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
        storage.start();
    }

    @AfterEach
    void stop() {
        registry.stop();
        storage.stop();
    }

    private RegistryClient client(Credential credential) {
        return new RegistryClient(endpoint(credential, URI.create("http://127.0.0.1:" + registry.port())), fastOptions());
    }

    private String storageUrl(String path) {
        return "http://127.0.0.1:" + storage.port() + path;
    }

    private void redirect(WireMockServer from, String path, String to) {
        from.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(302).withHeader("Location", to)));
    }

    private UpstreamException refused() {
        try (RegistryClient client = client(null)) {
            UpstreamException e = assertThrows(UpstreamException.class, () -> client.getBlob("library/alpine", DIGEST, 0));
            assertEquals(Kind.INVALID_RESPONSE, e.kind());
            return e;
        }
    }

    @Test
    void fiveRedirects_areFollowed_withoutTheStaticTokenLeavingTheRegistry() throws Exception {
        redirect(registry, BLOB_PATH, storageUrl("/1"));
        for (int i = 1; i < 5; i++) {
            redirect(storage, "/" + i, "/" + (i + 1));
        }
        storage.stubFor(get(urlPathEqualTo("/5")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Length", String.valueOf(BLOB.length)).withBody(BLOB)));

        try (RegistryClient client = client(new Credential.Token("secret-token"));
             BlobStream stream = client.getBlob("library/alpine", DIGEST, 0).orElseThrow()) {
            assertArrayEquals(BLOB, stream.body().readAllBytes());
        }
        assertTrue(registry.findAll(anyRequestedFor(anyUrl())).get(0).containsHeader("Authorization"));
        assertEquals(5, storage.findAll(anyRequestedFor(anyUrl())).size());
        assertFalse(storage.findAll(anyRequestedFor(anyUrl())).stream().anyMatch(r -> r.containsHeader("Authorization")));
    }

    @Test
    void sixRedirects_areRefused() {
        redirect(registry, BLOB_PATH, storageUrl("/1"));
        for (int i = 1; i < 10; i++) {
            redirect(storage, "/" + i, "/" + (i + 1));
        }
        assertTrue(refused().getMessage().contains("more than 5 times"));
        assertEquals(5, storage.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void redirectLoop_isRefused() {
        redirect(registry, BLOB_PATH, storageUrl("/a"));
        redirect(storage, "/a", storageUrl("/b"));
        redirect(storage, "/b", storageUrl("/a"));
        assertTrue(refused().getMessage().contains("loop"));
    }

    @Test
    void redirectToFtp_isRefused() {
        redirect(registry, BLOB_PATH, "ftp://127.0.0.1/blob");
        assertTrue(refused().getMessage().contains("'ftp:'"));
    }

    @Test
    void redirectToFile_isRefused() {
        redirect(registry, BLOB_PATH, "file:///etc/passwd");
        assertTrue(refused().getMessage().contains("only http and https"));
    }
}
