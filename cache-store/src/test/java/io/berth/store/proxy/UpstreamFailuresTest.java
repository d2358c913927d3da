package io.berth.store.proxy;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.UpstreamException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a client reads when the upstream refuses access and nothing cached can stand in. */
class UpstreamFailuresTest {
    private static final UpstreamException REFUSED = new UpstreamException(UpstreamException.Kind.UNAUTHORIZED, 401,
            null, "the upstream refused access (401: UNAUTHORIZED: authentication required)", null);

    @Test
    void refusedAccess_anonymousEndpoint_saysNoCredentialsWereSentAndTheRepositoryMayNotExist() {
        RegistryException answer = toClient(null);
        assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, answer.code());
        assertTrue(answer.getMessage().contains("it refused anonymous access (HTTP 401): the repository does not exist"
                + " there, or the registry endpoint needs credentials"), answer.getMessage());
        assertFalse(answer.getMessage().contains("endpoint's credentials"), "Berth sent none: " + answer.getMessage());
    }

    @Test
    void refusedAccess_endpointWithCredentials_saysTheyAreWrongOrMayNotPullIt_withoutTheSecret() {
        RegistryException answer = toClient(new Credential.Basic("robot$vault+mirror", "Sekrit-Password-1"));
        assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, answer.code());
        assertTrue(answer.getMessage().contains("it refused access with the registry endpoint's credentials (HTTP 401):"
                + " they are wrong or may not pull this repository, or it does not exist there"), answer.getMessage());
        assertFalse(answer.getMessage().contains("Sekrit"), answer.getMessage());
        assertFalse(answer.getMessage().contains("robot$"), answer.getMessage());
    }

    private static RegistryException toClient(Credential credential) {
        RegistryEndpoint endpoint = new RegistryEndpoint(3, "upstream", RegistryEndpoint.Type.V2,
                List.of(URI.create("http://127.0.0.1:1")), true, null, credential, null);
        ProxySettings settings = new ProxySettings(3, List.of(), ProxySettings.DEFAULT_FRESHNESS,
                ProxySettings.OnUpstreamMissing.SERVE, 0, null);
        ProxyContext context = new ProxyContext("mirror", settings, new FakeUpstream(endpoint),
                UpstreamNames.of(RepositoryName.parse("mirror/vault/app"), RegistryEndpoint.Type.V2));
        return UpstreamFailures.toClient(context, "fetch manifest v1", REFUSED, Deadline.in(Duration.ofSeconds(5)));
    }
}
