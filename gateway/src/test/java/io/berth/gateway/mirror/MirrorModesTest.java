package io.berth.gateway.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.auth.Access;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Identity;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.token.SigningKey;
import io.berth.gateway.auth.token.TokenRoutes;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.http.Route;
import io.berth.gateway.testing.ProxyFixtures;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;
import io.berth.store.meta.Transactions;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertNoHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.header;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three mirror modes over HTTP with access control on, as dockerd ({@code registry-mirrors}:
 * names without a project), containerd ({@code hosts.toml}: {@code ?ns=}) and podman (the proxy
 * project's path) pull: the proxy projects are {@code hub} (public, Docker Hub, the default mirror),
 * {@code ghcr} (private, ghcr.io; alice is a guest there) and {@code secret} (private, no members;
 * {@code registry.example.com} is mapped to it in the settings). Content is seeded through the store
 * (the proxy's upstream fetching is not part of this test).
 */
class MirrorModesTest {
    private static final String PASSWORD = "Correct-Horse-42";
    private static final AtomicReference<Identity> IDENTITY = new AtomicReference<>();
    private static final AtomicReference<Mirrors> MIRRORS = new AtomicReference<>();
    private static final TestContent.Blob CONFIG = TestContent.config(81);
    private static final TestContent.Blob LAYER = TestContent.layer(81, 3000);
    private static final TestContent.Blob IMAGE = TestContent.image(CONFIG, LAYER).build();

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer((AccessCheck) request -> IDENTITY.get().accessCheck()
            .check(request),
            Route.of("token.get", HttpMethod.GET, TokenRoutes.PATH, Access.open(),
                    ex -> IDENTITY.get().routes().get(0).handler().handle(ex)),
            Route.of("token.post", HttpMethod.POST, TokenRoutes.PATH, Access.open(),
                    ex -> IDENTITY.get().routes().get(1).handler().handle(ex)))
            .withMirrors(registry -> {
                MIRRORS.set(new MirrorNames(registry.transactions(), new MirrorSettings("hub",
                        Map.of("registry.example.com", "secret"))));
                return MIRRORS.get();
            });

    @BeforeAll
    static void proxyProjectsHoldingImages() {
        Transactions tx = SERVER.registry().transactions();
        Identity id = new Identity(tx, SigningKey.generate(), new Identity.Settings(new TokenSettings("berth", "berth",
                Duration.ofHours(1), TokenSettings.DEFAULT_LEEWAY), null, Grants.ProjectCreation.EVERYONE, true, 4),
                MIRRORS.get(), Clock.systemUTC());
        IDENTITY.set(id);
        id.users().create("admin", PASSWORD, null, true);
        id.users().create("alice", PASSWORD, null, false);
        id.users().create("bob", PASSWORD, null, false);
        for (String repository : List.of("hub/library/nginx", "ghcr/org/app", "secret/team/app")) {
            seed(repository);
        }
        ProxyFixtures.makeProxy(tx, "hub", ProxyFixtures.registryEndpoint(tx, "docker-hub", "docker-hub",
                "https://registry-1.docker.io"));
        ProxyFixtures.makeProxy(tx, "ghcr", ProxyFixtures.registryEndpoint(tx, "github", "v2", "https://ghcr.io"));
        ProxyFixtures.makeProxy(tx, "secret", ProxyFixtures.registryEndpoint(tx, "secret", "v2",
                "https://secret.example.com"));
        id.projects().setPublic("hub", true);
        id.members().addUser("ghcr", "alice", Role.GUEST);
        for (String project : List.of("hub", "ghcr", "secret")) {
            SERVER.registry().repositories().forget(project);
            MIRRORS.get().forget(project);
        }
    }

    /** Pushes the image while the project is still local (as the admin, who creates it). */
    private static void seed(String repository) {
        V2Client client = SERVER.client();
        for (TestContent.Blob blob : List.of(CONFIG, LAYER)) {
            assertStatus(201, client.post("/v2/" + repository + "/blobs/uploads/?digest=" + blob.digest(), blob.bytes(),
                    "Authorization", basic("admin")));
        }
        assertStatus(201, client.put("/v2/" + repository + "/manifests/1.0", IMAGE.bytes(), "Content-Type",
                IMAGE.mediaType(), "Authorization", basic("admin")));
    }

    @Test
    void mode1_dockerdsNameWithoutAProject_isPulledAnonymously_fromThePublicDefaultMirror() {
        HttpResponse<byte[]> manifest = get("/v2/library/nginx/manifests/1.0");

        assertStatus(200, manifest);
        assertArrayEquals(IMAGE.bytes(), manifest.body());
        assertNoHeader(manifest, "OCI-Namespace");
        assertArrayEquals(LAYER.bytes(), get("/v2/library/nginx/blobs/" + LAYER.digest()).body());
        assertStatus(200, SERVER.client().head("/v2/library/nginx/blobs/" + CONFIG.digest()));
        JsonNode tags = json(get("/v2/library/nginx/tags/list").body());
        assertEquals("library/nginx", tags.get("name").asText(), "the listing names what the client asked for");
        assertEquals(List.of("1.0"), strings(tags, "tags"));
    }

    @Test
    void mode1_theDockerTokenFlow_grantsTheNameDockerAsksFor_onTheMirrorProject() {
        String challenge = header(SERVER.client().get("/v2/"), "WWW-Authenticate");
        String anyToken = token(realm(challenge), null);
        HttpResponse<byte[]> refused = get("/v2/library/nginx/manifests/1.0", "Authorization", anyToken);
        assertError(refused, 401, "UNAUTHORIZED");
        String scoped = header(refused, "WWW-Authenticate");
        assertTrue(scoped.contains("scope=\"repository:library/nginx:pull\""), scoped);

        String pullToken = token(realm(scoped) + "&scope=repository:library/nginx:pull", null);

        assertStatus(200, get("/v2/library/nginx/manifests/1.0", "Authorization", pullToken));
    }

    @Test
    void mode2_containerdsNs_isServedByTheProxyOfThatHost_andEchoedInOciNamespace() {
        HttpResponse<byte[]> manifest = get("/v2/library/nginx/manifests/1.0?ns=docker.io");

        assertStatus(200, manifest);
        assertArrayEquals(IMAGE.bytes(), manifest.body());
        assertHeader("docker.io", manifest, "OCI-Namespace");
        HttpResponse<byte[]> blob = get("/v2/library/nginx/blobs/" + LAYER.digest() + "?ns=docker.io");
        assertArrayEquals(LAYER.bytes(), blob.body());
        assertHeader("docker.io", blob, "OCI-Namespace");
    }

    @Test
    void mode3_theProxyProjectsOwnPath_isServedAsNamed_withOrWithoutNs() {
        HttpResponse<byte[]> plain = get("/v2/hub/library/nginx/manifests/1.0");
        HttpResponse<byte[]> overridePath = get("/v2/hub/library/nginx/manifests/1.0?ns=docker.io");

        assertStatus(200, plain);
        assertNoHeader(plain, "OCI-Namespace");
        assertStatus(200, overridePath);
        assertHeader("docker.io", overridePath, "OCI-Namespace");
    }

    @Test
    void mode2_aPrivateMirror_isPulledWithTheTokenContainerdGetsFromTheChallengesRealm() {
        HttpResponse<byte[]> refused = get("/v2/org/app/manifests/1.0?ns=ghcr.io");
        assertError(refused, 401, "UNAUTHORIZED");
        assertHeader("ghcr.io", refused, "OCI-Namespace");
        String challenge = header(refused, "WWW-Authenticate");
        assertTrue(challenge.contains("scope=\"repository:org/app:pull\""), challenge);
        assertTrue(challenge.contains(TokenRoutes.PATH + "?ns=ghcr.io\""), "the realm carries the ns: " + challenge);

        String token = token(realm(challenge) + "&scope=repository:org/app:pull", "alice");
        HttpResponse<byte[]> pulled = get("/v2/org/app/manifests/1.0?ns=ghcr.io", "Authorization", token);

        assertStatus(200, pulled);
        assertArrayEquals(IMAGE.bytes(), pulled.body());
        assertStatus(200, get("/v2/org/app/blobs/" + LAYER.digest() + "?ns=ghcr.io", "Authorization", token));
        assertStatus(200, get("/v2/org/app/manifests/1.0?ns=ghcr.io", "Authorization", basic("alice")));
    }

    @Test
    void theOAuth2Post_toTheRealm_keepsTheNs_asContainerdSendsIt() {
        String form = "grant_type=password&service=berth&client_id=containerd&username=alice&password=" + PASSWORD
                + "&scope=" + URLEncoder.encode("repository:org/app:pull", StandardCharsets.UTF_8);
        HttpResponse<byte[]> answer = SERVER.client().post(TokenRoutes.PATH + "?ns=ghcr.io",
                form.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/x-www-form-urlencoded");
        assertStatus(200, answer);
        String token = "Bearer " + json(answer.body()).get("access_token").asText();

        assertStatus(200, get("/v2/org/app/manifests/1.0?ns=ghcr.io", "Authorization", token));
    }

    @Test
    void aTokenDecidedOnAnotherMapping_isNotAcceptedForThisOne() {
        // Without ns, org/app is the default mirror's: the token is decided on (and bound to) hub.
        String onHub = token(TokenRoutes.PATH + "?service=berth&scope=repository:org/app:pull", "alice");

        HttpResponse<byte[]> refused = get("/v2/org/app/manifests/1.0?ns=ghcr.io", "Authorization", onHub);

        assertError(refused, 401, "UNAUTHORIZED");
        assertTrue(header(refused, "WWW-Authenticate").contains("insufficient_scope"));
    }

    @Test
    void aNameMappedToAProjectTheCallerMayNotRead_isRefused_inEveryForm() {
        String path = "/v2/team/app/manifests/1.0?ns=registry.example.com";

        assertError(get(path), 401, "UNAUTHORIZED");
        assertError(get(path, "Authorization", basic("alice")), 403, "DENIED");
        String token = token(TokenRoutes.PATH + "?ns=registry.example.com&service=berth&scope=repository:team/app:pull",
                "alice");
        assertError(get(path, "Authorization", token), 401, "UNAUTHORIZED");
        assertError(get("/v2/org/app/manifests/1.0?ns=ghcr.io", "Authorization", basic("bob")), 403, "DENIED");
        assertStatus(200, get(path, "Authorization", basic("admin")));
    }

    @Test
    void aReadNoMirrorModeServes_isNameUnknownAtOnce_beforeAnyChallenge() {
        HttpResponse<byte[]> unknownHost = get("/v2/library/nginx/manifests/1.0?ns=quay.io");

        assertError(unknownHost, 404, "NAME_UNKNOWN");
        assertNoHeader(unknownHost, "WWW-Authenticate");
        assertNoHeader(unknownHost, "OCI-Namespace");
        assertError(get("/v2/library/nginx/blobs/" + LAYER.digest() + "?ns=quay.io"), 404, "NAME_UNKNOWN");
    }

    @Test
    void pushesAreNeverRouted_theyNameTheirRepositoryAsItIs() {
        assertStatus(202, SERVER.client().post("/v2/pushed/app/blobs/uploads/?ns=docker.io", new byte[0],
                "Authorization", basic("alice")));

        assertTrue(IDENTITY.get().projects().find("pushed").isPresent(), "the push created its own project");
        assertError(SERVER.client().post("/v2/hub/library/nginx/blobs/uploads/", new byte[0],
                "Authorization", basic("admin")), 403, "DENIED");
    }

    private static HttpResponse<byte[]> get(String path, String... headers) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Accept";
        all[headers.length + 1] = IMAGE.mediaType();
        return SERVER.client().get(path, all);
    }

    /** The realm of a Bearer challenge, as a path and query on this server. */
    private static String realm(String challenge) {
        int start = challenge.indexOf("realm=\"") + 7;
        URI realm = URI.create(challenge.substring(start, challenge.indexOf('"', start)));
        return realm.getRawPath() + (realm.getRawQuery() == null ? "?service=berth" : "?" + realm.getRawQuery()
                + "&service=berth");
    }

    /** A Bearer header from the token endpoint at {@code pathAndQuery}, signed in as {@code user} (null: anonymous). */
    private static String token(String pathAndQuery, String user) {
        HttpResponse<byte[]> answer = user == null ? SERVER.client().get(pathAndQuery)
                : SERVER.client().get(pathAndQuery, "Authorization", basic(user));
        assertStatus(200, answer);
        return "Bearer " + json(answer.body()).get("token").asText();
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
