package io.berth.gateway.auth.ldap;

import io.berth.gateway.auth.Access;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Identity;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.token.SigningKey;
import io.berth.gateway.auth.token.TokenRoutes;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.http.Route;
import io.berth.gateway.testing.RegistryServer;
import io.berth.store.meta.ProjectDao;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Directory sign-in as clients see it: docker login's token request with a directory password, a
 * group member's token for a private project, and the 401 and 503 answers, the local admin
 * signing in while the directory is down.
 */
class LdapSignInOverHttpTest {
    private static final String ADMIN_PASSWORD = "Local-Admin-42";
    private static final AtomicReference<AccessCheck> CHECK = new AtomicReference<>();
    private static final AtomicReference<List<Route>> TOKEN_ROUTES = new AtomicReference<>();

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer((AccessCheck) request -> CHECK.get().check(request),
            Route.of("token.get", HttpMethod.GET, TokenRoutes.PATH, Access.open(),
                    ex -> TOKEN_ROUTES.get().get(0).handler().handle(ex)));

    private static TestDirectory directory;
    private static Identity identity;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start();
        Clock clock = Clock.systemUTC();
        identity = new Identity(SERVER.registry().transactions(), SigningKey.generate(), new Identity.Settings(
                new TokenSettings("berth", "berth", TokenSettings.DEFAULT_LIFETIME, TokenSettings.DEFAULT_LEEWAY), null,
                Grants.ProjectCreation.ADMIN_ONLY, false, 4, directory.settings()), clock);
        identity.users().create("admin", ADMIN_PASSWORD, null, true);
        SERVER.registry().transactions().useTransaction(h -> h.attach(ProjectDao.class)
                .createIfAbsent("private", clock.instant()));
        identity.members().addGroup("private", "devs", Role.DEVELOPER);
        CHECK.set(identity.accessCheck());
        TOKEN_ROUTES.set(identity.routes());
    }

    @AfterAll
    static void stop() {
        identity.close();
        directory.close();
    }

    @Test
    void aGroupMember_getsATokenForAPrivateProject_andANonMemberDoesNot() throws Exception {
        String scope = "&scope=repository:private/app:pull,push";
        HttpResponse<byte[]> alices = token("alice", "Alice-Pass-1", scope);
        HttpResponse<byte[]> bobs = token("bob", "Bob-Pass-1", scope);

        assertStatus(200, alices);
        String bearer = "Bearer " + json(alices.body()).get("token").asText();
        assertStatus(202, SERVER.client().post("/v2/private/app/blobs/uploads/", new byte[0], "Authorization", bearer));
        assertStatus(200, bobs);
        String bobsBearer = "Bearer " + json(bobs.body()).get("token").asText();
        assertError(SERVER.client().get("/v2/private/app/tags/list", "Authorization", bobsBearer), 401, "UNAUTHORIZED");
        assertError(SERVER.client().get("/v2/private/app/tags/list", "Authorization", basic("bob", "Bob-Pass-1")),
                403, "DENIED");
    }

    @Test
    void aWrongDirectoryPassword_is401_withTheChallenge() {
        assertError(token("alice", "Wrong-Pass-1", ""), 401, "UNAUTHORIZED");
        HttpResponse<byte[]> basic = SERVER.client().get("/v2/", "Authorization", basic("alice", "Wrong-Pass-1"));
        assertError(basic, 401, "UNAUTHORIZED");
        assertTrue(basic.headers().firstValue("WWW-Authenticate").isPresent());
    }

    @Test
    void aDirectoryThatIsDown_is503_andTheLocalAdminStillSignsIn() throws Exception {
        directory.stop();
        try {
            HttpResponse<byte[]> down = token("alice", "Alice-Pass-1", "");
            assertError(down, 503, "UNAVAILABLE");
            assertTrue(down.headers().firstValue("Retry-After").isPresent());
            assertTrue(new String(down.body(), StandardCharsets.UTF_8).contains("local admin"));
            assertError(SERVER.client().get("/v2/", "Authorization", basic("alice", "Alice-Pass-1")), 503,
                    "UNAVAILABLE");
            assertStatus(200, token("admin", ADMIN_PASSWORD, ""));
            assertEquals(200, SERVER.client().get("/v2/", "Authorization", basic("admin", ADMIN_PASSWORD)).statusCode());
        } finally {
            directory.restart();
        }
    }

    private static HttpResponse<byte[]> token(String user, String password, String scopes) {
        return SERVER.client().get(TokenRoutes.PATH + "?service=berth" + scopes, "Authorization", basic(user, password));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
