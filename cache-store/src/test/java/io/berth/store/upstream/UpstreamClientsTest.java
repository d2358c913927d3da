package io.berth.store.upstream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import io.berth.store.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.berth.store.upstream.UpstreamTesting.fastOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One client per endpoint, replaced when the endpoint changes; ping and Basic sign-in through it. */
class UpstreamClientsTest {
    private WireMockServer registry;
    private UpstreamClients clients;

    @BeforeEach
    void start() {
        registry = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
        clients = new UpstreamClients(fastOptions());
    }

    @AfterEach
    void stop() {
        clients.close();
        registry.stop();
    }

    private RegistryEndpoint endpoint(long id, Credential credential) {
        return new RegistryEndpoint(id, "up" + id, RegistryEndpoint.Type.V2,
                List.of(URI.create("http://127.0.0.1:" + registry.port())), false, null, credential, null);
    }

    @Test
    void sameEndpoint_sharesOneClient_aChangedOneGetsANewClient() {
        RegistryEndpoint first = endpoint(7, null);
        Upstream a = clients.of(first);
        assertSame(a, clients.of(endpoint(7, null)), "an equal endpoint shares the client (pool, tokens, circuit)");
        assertNotSame(a, clients.of(endpoint(8, null)));

        Upstream changed = clients.of(endpoint(7, new Credential.Basic("u", "p")));
        assertNotSame(a, changed);
        assertEquals(new Credential.Basic("u", "p"), changed.endpoint().credential());
        assertEquals(2, clients.clients().size());

        clients.forget(7);
        assertNotSame(changed, clients.of(endpoint(7, new Credential.Basic("u", "p"))));
    }

    @Test
    void ping_answersForAV2Registry_andExplainsAnythingElse() throws Exception {
        registry.stubFor(get(urlPathEqualTo("/v2/")).willReturn(aResponse().withStatus(200).withBody("{}")));
        clients.of(endpoint(1, null)).ping();

        registry.resetAll();
        registry.stubFor(get(urlPathEqualTo("/v2/")).willReturn(aResponse().withStatus(404)));
        UpstreamException e = assertThrows(UpstreamException.class, () -> clients.of(endpoint(1, null)).ping());
        assertEquals(Kind.INVALID_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("not a Docker Registry V2"), e.getMessage());
    }

    @Test
    void basicChallenge_isAnsweredWithTheCredential_thenSentUpFront() throws Exception {
        registry.stubFor(get(urlPathEqualTo("/v2/")).atPriority(10).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")));
        registry.stubFor(get(urlPathEqualTo("/v2/")).atPriority(1).withBasicAuth("robot", "pw-42")
                .willReturn(aResponse().withStatus(200)));
        Upstream upstream = clients.of(endpoint(1, new Credential.Basic("robot", "pw-42")));

        upstream.ping();
        upstream.ping();
        registry.verify(1, getRequestedFor(urlPathEqualTo("/v2/")).withHeader("Authorization", absent()));
        registry.verify(2, getRequestedFor(urlPathEqualTo("/v2/")).withBasicAuth(new BasicCredentials("robot", "pw-42")));
    }

    @Test
    void basicChallenge_withoutCredentials_orWithWrongOnes_isUnauthorized() {
        registry.stubFor(get(urlPathEqualTo("/v2/")).atPriority(10).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")));
        UpstreamException anonymous = assertThrows(UpstreamException.class, () -> clients.of(endpoint(1, null)).ping());
        assertEquals(Kind.UNAUTHORIZED, anonymous.kind());
        assertTrue(anonymous.getMessage().contains("give the registry endpoint credentials"), anonymous.getMessage());

        UpstreamException wrong = assertThrows(UpstreamException.class,
                () -> clients.of(endpoint(2, new Credential.Basic("robot", "wrong-pw"))).ping());
        assertEquals(Kind.UNAUTHORIZED, wrong.kind());
        assertFalse(wrong.getMessage().contains("wrong-pw"));
    }
}
