package io.berth.gateway.auth.check;

import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Authenticator;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.LoginThrottle;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.token.SigningKey;
import io.berth.gateway.auth.token.TokenService;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.auth.token.Tokens;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry's access check over HTTP: challenges that start docker login, Basic and Bearer
 * credentials, anonymous pulls of public projects, and the refusals of everything else.
 */
class RegistryAccessCheckTest {
    private static final String PASSWORD = "Correct-Horse-42";
    private static final TokenSettings SETTINGS = new TokenSettings("berth", "berth", Duration.ofHours(2),
            TokenSettings.DEFAULT_LEEWAY);
    private static final SigningKey KEY = SigningKey.generate();
    private static final AtomicReference<AccessCheck> CHECK = new AtomicReference<>();

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer((AccessCheck) request -> CHECK.get().check(request));

    private static TokenService tokenService;
    private static String robotSecret;
    private static byte[] layer = TestContent.bytes(5, 2000);

    @BeforeAll
    static void identities() {
        Transactions tx = SERVER.registry().transactions();
        Clock clock = Clock.systemUTC();
        tx.useTransaction(h -> {
            h.attach(ProjectDao.class).createIfAbsent("team", clock.instant());
            h.attach(ProjectDao.class).createIfAbsent("library", clock.instant());
        });
        Projects projects = new Projects(tx);
        projects.setPublic("library", true);
        Users users = new Users(tx, new Passwords(4), clock);
        users.create("alice", PASSWORD, null, false);
        users.create("bob", PASSWORD, null, false);
        Members members = new Members(tx, clock);
        members.addUser("team", "alice", Role.DEVELOPER);
        Robots robots = new Robots(tx, clock);
        robotSecret = robots.create("ci", "team", null, null, Map.of("team", EnumSet.of(Action.PULL))).secret();
        ScopeDecisions decisions = new ScopeDecisions(projects, members, Grants.ProjectCreation.EVERYONE, true);
        Tokens tokens = new Tokens(KEY, SETTINGS, clock);
        tokenService = new TokenService(tokens, decisions);
        CHECK.set(new RegistryAccessCheck(new Authenticator(users, robots, LoginThrottle.defaults()), tokens, decisions,
                new Challenge(null, "berth"), Executors.newVirtualThreadPerTaskExecutor()));
    }

    @Test
    void theBase_challengesAnonymousClients_toSignIn_andLetsSignedInOnesIn() {
        HttpResponse<byte[]> anonymous = SERVER.client().get("/v2/");

        assertError(anonymous, 401, "UNAUTHORIZED");
        assertEquals("Bearer realm=\"http://127.0.0.1:" + SERVER.port() + "/service/token\",service=\"berth\"",
                anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertStatus(200, SERVER.client().get("/v2/", "Authorization", basic("alice", PASSWORD)));
        assertStatus(200, SERVER.client().get("/v2/", "Authorization", bearer(new Principal.Anonymous())));
        assertError(SERVER.client().get("/v2/", "Authorization", basic("alice", "Wrong-Pass-1")), 401, "UNAUTHORIZED");
    }

    @Test
    void anonymousClients_mayPullPublicProjects_andAreChallengedForPrivateOnes() {
        assertError(SERVER.client().get("/v2/library/alpine/manifests/latest"), 404, "NAME_UNKNOWN");

        HttpResponse<byte[]> refused = SERVER.client().get("/v2/team/app/manifests/latest");
        assertError(refused, 401, "UNAUTHORIZED");
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElseThrow()
                .endsWith(",scope=\"repository:team/app:pull\""));
    }

    @Test
    void aTokenCoveringTheRequest_letsItThrough_andOneThatDoesNot_isChallengedForMore() {
        String pushToken = bearer(new Principal.User("alice", false), "repository:team/app:pull,push");
        String pullToken = bearer(new Principal.User("alice", false), "repository:team/app:pull");

        assertStatus(201, SERVER.client().post("/v2/team/app/blobs/uploads/?digest=" + TestContent.digest(layer), layer,
                "Authorization", pushToken));
        HttpResponse<byte[]> refused = SERVER.client().post("/v2/team/app/blobs/uploads/", new byte[0],
                "Authorization", pullToken);
        assertError(refused, 401, "UNAUTHORIZED");
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElseThrow()
                .contains("error=\"insufficient_scope\""));
    }

    @Test
    void basicCredentials_workDirectly_andWhatTheRoleLacksIsDenied() {
        assertStatus(202, SERVER.client().post("/v2/team/app/blobs/uploads/", new byte[0],
                "Authorization", basic("alice", PASSWORD)));
        assertError(SERVER.client().post("/v2/team/app/blobs/uploads/", new byte[0],
                "Authorization", basic("bob", PASSWORD)), 403, "DENIED");
        assertError(SERVER.client().get("/v2/team/app/manifests/x", "Authorization", basic("robot$team+ci", robotSecret)),
                404, "NAME_UNKNOWN");
        assertError(SERVER.client().post("/v2/team/app/blobs/uploads/", new byte[0],
                "Authorization", basic("robot$team+ci", robotSecret)), 403, "DENIED");
    }

    @Test
    void aTokenFromBeforeItsProjectWasCreated_grantsNothingInIt() {
        Tokens earlier = new Tokens(KEY, SETTINGS, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-30)));
        String old = "Bearer " + earlier.issue("alice", List.of(Scope.repository(RepositoryName.parse("team/app"),
                Action.PULL))).token();

        HttpResponse<byte[]> refused = SERVER.client().get("/v2/team/app/tags/list", "Authorization", old);

        assertError(refused, 401, "UNAUTHORIZED");
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("issued before project 'team'"));
    }

    @Test
    void aForgedToken_isChallenged() {
        Tokens forger = new Tokens(SigningKey.generate(), SETTINGS, Clock.systemUTC());
        String forged = "Bearer " + forger.issue("admin", List.of(Scope.repository(RepositoryName.parse("team/app"),
                Action.PULL, Action.PUSH, Action.DELETE))).token();

        assertError(SERVER.client().get("/v2/team/app/tags/list", "Authorization", forged), 401, "UNAUTHORIZED");
    }

    private static String bearer(Principal who, String... scopes) {
        List<Scope> asked = java.util.Arrays.stream(scopes).map(s -> Scope.parse(s).orElseThrow()).toList();
        return "Bearer " + tokenService.issue(who, asked).token();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
