package io.berth.gateway.auth.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.auth.Access;
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
import io.berth.gateway.auth.token.TokenRoutes;
import io.berth.gateway.auth.token.TokenService;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.auth.token.Tokens;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.gateway.http.Route;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signing in and access over HTTP, as docker, podman and containerd do it: the challenge that
 * starts docker login, the token endpoint (GET with Basic, the OAuth2 POST), Basic and Bearer
 * credentials on the registry's routes, anonymous pulls of public projects, and the refusals of
 * everything else.
 */
class SignInAndAccessTest {
    private static final String PASSWORD = "Correct-Horse-42";
    private static final TokenSettings SETTINGS = new TokenSettings("berth", "berth", Duration.ofHours(2),
            TokenSettings.DEFAULT_LEEWAY);
    private static final SigningKey KEY = SigningKey.generate();
    private static final AtomicReference<AccessCheck> CHECK = new AtomicReference<>();
    private static final AtomicReference<List<Route>> TOKEN_ROUTES = new AtomicReference<>();

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer((AccessCheck) request -> CHECK.get().check(request),
            Route.of("token.get", HttpMethod.GET, TokenRoutes.PATH, Access.open(),
                    ex -> TOKEN_ROUTES.get().get(0).handler().handle(ex)),
            Route.of("token.post", HttpMethod.POST, TokenRoutes.PATH, Access.open(),
                    ex -> TOKEN_ROUTES.get().get(1).handler().handle(ex)));

    private static TokenService tokenService;
    private static Projects projects;
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
        projects = new Projects(tx, clock);
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
        Authenticator authenticator = new Authenticator(users, robots, LoginThrottle.defaults());
        CHECK.set(new RegistryAccessCheck(authenticator, tokens, decisions,
                new ReadableProjects(projects, members, authenticator), new Challenge(null, "berth"),
                Executors.newVirtualThreadPerTaskExecutor()));
        TOKEN_ROUTES.set(TokenRoutes.routes(tokenService, authenticator, "berth"));
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
    void dockerLogin_challengeThenTokenThenIn() throws Exception {
        String challenge = SERVER.client().get("/v2/").headers().firstValue("WWW-Authenticate").orElseThrow();
        String realm = challenge.substring(challenge.indexOf('"') + 1, challenge.indexOf('"', challenge.indexOf('"') + 1));
        HttpResponse<byte[]> token = SERVER.client().get(URI.create(realm).getRawPath()
                + "?service=berth&scope=repository:team/app:pull,push&scope=repository:library/alpine:pull",
                "Authorization", basic("alice", PASSWORD));

        assertStatus(200, token);
        JsonNode body = json(token.body());
        assertEquals(body.get("token").asText(), body.get("access_token").asText());
        assertEquals(7200, body.get("expires_in").asInt());
        assertTrue(body.has("issued_at"));
        String bearer = "Bearer " + body.get("token").asText();
        assertStatus(200, SERVER.client().get("/v2/", "Authorization", bearer));
        assertStatus(202, SERVER.client().post("/v2/team/app/blobs/uploads/", new byte[0], "Authorization", bearer));
    }

    @Test
    void theTokenEndpoint_refusesWrongCredentials_andAnotherService() {
        assertError(SERVER.client().get(TokenRoutes.PATH + "?service=berth", "Authorization", basic("alice", "Nope-Nope-1")),
                401, "UNAUTHORIZED");
        assertError(SERVER.client().get(TokenRoutes.PATH + "?service=elsewhere"), 400, "UNSUPPORTED");
        assertError(SERVER.client().get(TokenRoutes.PATH + "?scope=garbage"), 400, "UNSUPPORTED");
    }

    @Test
    void anonymousTokens_grantOnlyPublicPulls() throws Exception {
        HttpResponse<byte[]> token = SERVER.client().get(TokenRoutes.PATH
                + "?service=berth&scope=repository:team/app:pull&scope=repository:library/alpine:pull,push");

        assertStatus(200, token);
        String bearer = "Bearer " + json(token.body()).get("token").asText();
        assertError(SERVER.client().get("/v2/library/alpine/tags/list", "Authorization", bearer), 404, "NAME_UNKNOWN");
        assertError(SERVER.client().get("/v2/team/app/tags/list", "Authorization", bearer), 401, "UNAUTHORIZED");
    }

    @Test
    void theOAuth2PasswordGrant_givesAnAccessToken_asContainerdAsks() throws Exception {
        String form = "grant_type=password&service=berth&client_id=containerd-client&username=alice&password="
                + PASSWORD + "&scope=repository%3Ateam%2Fapp%3Apull";
        HttpResponse<byte[]> token = SERVER.client().post(TokenRoutes.PATH, form.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");

        assertStatus(200, token);
        JsonNode body = json(token.body());
        assertEquals("repository:team/app:pull", body.get("scope").asText());
        assertStatus(200, SERVER.client().get("/v2/", "Authorization", "Bearer " + body.get("access_token").asText()));
        assertError(SERVER.client().post(TokenRoutes.PATH, "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded"), 400, "UNSUPPORTED");
    }

    @Test
    void anOfflineSignIn_givesARefreshToken_thatBuysAccessTokens_andNeverIsOne() throws Exception {
        HttpResponse<byte[]> signIn = form("grant_type=password&service=berth&access_type=offline&username=alice&password="
                + PASSWORD);
        assertStatus(200, signIn);
        String refresh = json(signIn.body()).get("refresh_token").asText();

        HttpResponse<byte[]> refreshed = form("grant_type=refresh_token&service=berth&refresh_token=" + refresh
                + "&scope=repository:team/untouched:pull");
        assertStatus(200, refreshed);
        String bearer = "Bearer " + json(refreshed.body()).get("access_token").asText();
        assertError(SERVER.client().get("/v2/team/untouched/tags/list", "Authorization", bearer), 404, "NAME_UNKNOWN");
        assertError(SERVER.client().get("/v2/", "Authorization", "Bearer " + refresh), 401, "UNAUTHORIZED");
        assertError(form("grant_type=refresh_token&service=berth&refresh_token=" + bearer.substring(7)), 401,
                "UNAUTHORIZED");
    }

    @Test
    void aRefreshTokenOfADeletedUser_buysNothing() throws Exception {
        Users users = new Users(SERVER.registry().transactions(), new Passwords(4), Clock.systemUTC());
        users.create("carol", PASSWORD, null, false);
        String refresh = json(form("grant_type=password&access_type=offline&username=carol&password=" + PASSWORD)
                .body()).get("refresh_token").asText();

        users.delete("carol");

        assertError(form("grant_type=refresh_token&refresh_token=" + refresh), 401, "UNAUTHORIZED");
    }

    @Test
    void aPushIntoANewProject_createsIt_withThePusherAsItsProjectAdmin() {
        Members members = new Members(SERVER.registry().transactions(), Clock.systemUTC());
        assertStatus(202, SERVER.client().post("/v2/alices-new/app/blobs/uploads/", new byte[0],
                "Authorization", basic("alice", PASSWORD)));
        assertEquals(Optional.of(Role.PROJECT_ADMIN), members.roleOf("alices-new", "alice", List.of()));

        String token = bearer(new Principal.User("bob", false), "repository:bobs-new/app:pull,push");
        assertStatus(202, SERVER.client().post("/v2/bobs-new/app/blobs/uploads/", new byte[0], "Authorization", token));
        // the token still holds in the project its push created
        assertStatus(202, SERVER.client().post("/v2/bobs-new/app/blobs/uploads/", new byte[0], "Authorization", token));
        assertEquals(Optional.of(Role.PROJECT_ADMIN), members.roleOf("bobs-new", "bob", List.of()));
        assertError(SERVER.client().get("/v2/bobs-new/app/tags/list", "Authorization", basic("alice", PASSWORD)), 403,
                "DENIED");
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
        assertError(SERVER.client().get("/v2/team/robot-read/manifests/x", "Authorization", basic("robot$team+ci", robotSecret)),
                404, "NAME_UNKNOWN");
        assertError(SERVER.client().post("/v2/team/app/blobs/uploads/", new byte[0],
                "Authorization", basic("robot$team+ci", robotSecret)), 403, "DENIED");
    }

    @Test
    void aTokenForAProjectThatWasDeletedAndCreatedAgain_grantsNothingInTheNewOne() {
        Transactions tx = SERVER.registry().transactions();
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("temp", Instant.now()));
        new Members(tx, Clock.systemUTC()).addUser("temp", "alice", Role.DEVELOPER);
        String token = bearer(new Principal.User("alice", false), "repository:temp/app:pull");
        assertError(SERVER.client().get("/v2/temp/app/tags/list", "Authorization", token), 404, "NAME_UNKNOWN");

        tx.useTransaction(h -> h.execute("DELETE FROM project WHERE name = 'temp'"));
        projects.forget("temp"); // as the project's deletion does
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("temp", Instant.now()));

        HttpResponse<byte[]> refused = SERVER.client().get("/v2/temp/app/tags/list", "Authorization", token);
        assertError(refused, 401, "UNAUTHORIZED");
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("earlier project 'temp'"));
    }

    @Test
    void aTokenForAProjectThatDidNotExistYet_holdsForTheProjectItsPushCreates() {
        String token = bearer(new Principal.User("alice", false), "repository:fresh/app:pull,push");
        SERVER.registry().transactions().useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("fresh",
                Instant.now()));

        assertStatus(202, SERVER.client().post("/v2/fresh/app/blobs/uploads/", new byte[0], "Authorization", token));
    }

    @Test
    void aTokenNotBoundToTheProject_isChallenged() {
        Tokens unbound = new Tokens(KEY, SETTINGS, Clock.systemUTC());
        String token = "Bearer " + unbound.issue("alice", List.of(Scope.repository(RepositoryName.parse("team/app"),
                Action.PULL))).token();

        assertError(SERVER.client().get("/v2/team/app/tags/list", "Authorization", token), 401, "UNAUTHORIZED");
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

    private static HttpResponse<byte[]> form(String body) {
        return SERVER.client().post(TokenRoutes.PATH, body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");
    }
}
