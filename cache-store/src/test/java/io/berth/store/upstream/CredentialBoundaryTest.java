package io.berth.store.upstream;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where credentials may go: token realms on the registry's registrable domain, IPs and local names on the same host. */
class CredentialBoundaryTest {
    private static boolean mayHold(String registry, String realm) {
        return CredentialBoundary.mayHoldToken(URI.create(registry), URI.create(realm));
    }

    @Test
    void sameRegistrableDomain_isAllowed() {
        assertTrue(mayHold("https://registry-1.docker.io", "https://auth.docker.io/token"));
        assertTrue(mayHold("https://ghcr.io", "https://ghcr.io/token"));
        assertTrue(mayHold("https://eu.registry.example.co.uk", "https://login.example.co.uk/oauth"));
    }

    @Test
    void anotherDomain_isRefused_evenWhenItLooksAlike() {
        assertFalse(mayHold("https://registry-1.docker.io", "https://auth.docker.io.evil.com/token"));
        assertFalse(mayHold("https://registry.example.co.uk", "https://other.co.uk/token"));
        // github.io is a public suffix: two projects on it are different sites.
        assertFalse(mayHold("https://a.github.io", "https://b.github.io/token"));
    }

    @Test
    void addressesAndLocalNames_onlyTheSameHost() {
        assertTrue(mayHold("http://127.0.0.1:5000", "http://127.0.0.1:5001/token"));
        assertFalse(mayHold("http://127.0.0.1:5000", "http://127.0.0.2:5001/token"));
        assertFalse(mayHold("http://127.0.0.1:5000", "http://localhost:5001/token"));
        assertFalse(mayHold("http://registry:5000", "http://auth:5001/token"));
        assertTrue(mayHold("http://[::1]:5000", "http://[::1]:5001/token"));
    }

    @Test
    void sameOrigin_comparesSchemeHostAndPort() {
        URI registry = URI.create("https://registry.example.com");
        assertTrue(CredentialBoundary.sameOrigin(registry, URI.create("https://REGISTRY.example.com:443/v2/x")));
        assertFalse(CredentialBoundary.sameOrigin(registry, URI.create("http://registry.example.com/v2/x")));
        assertFalse(CredentialBoundary.sameOrigin(registry, URI.create("https://registry.example.com:8443/v2/x")));
        assertFalse(CredentialBoundary.sameOrigin(registry, URI.create("https://cdn.example.com/v2/x")));
    }

    @Test
    void origin_showsNeitherPathNorQueryNorUserInfo() {
        assertEquals("https://cdn.example.com", CredentialBoundary.origin(
                URI.create("https://user:pw@cdn.example.com/blob?X-Amz-Signature=abc")));
        assertEquals("http://[::1]:5000", CredentialBoundary.origin(URI.create("http://[::1]:5000/v2/")));
    }
}
