package io.berth.gateway.auth.check;

import io.berth.gateway.auth.Access;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Authenticator;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.LoginThrottle;
import io.berth.gateway.auth.Role;
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
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry port's authorization matrix: every {@code /v2} route, driven by every kind of
 * caller, on a private and on a public project, each cell checked against {@link #POLICY}, the one
 * table of who may do what (the admin API's counterpart is {@code AuthorizationTableTest}).
 *
 * <p>Signed-in callers send Basic credentials straight to the route; a refusal is then 401 with
 * a Bearer challenge for anonymous callers and 403 {@code DENIED} for signed-in ones. The same
 * table is driven again with Bearer tokens from the token endpoint (asking for pull, push and
 * delete, and getting what the role holds), where every refusal is 401 {@code insufficient_scope}.
 * Members hold their role in both projects; each project has its own robots (pull; pull, push and
 * delete), and a third project's robot holds everything there and nothing here.
 */
class RegistryAuthorizationTableTest {
    /**
     * {@code +} the route succeeds with its status; {@code -} it is refused. Anonymous: anonymous,
     * outsider: a user with no role, lguest … padmin: the roles, sysadm: a system admin, rpull and
     * rall: the project's robots with pull, and with pull, push and delete, rother: a robot of
     * another project.
     */
    private static final String POLICY = """
            route                              status project | anon outsider lguest guest dev maint padmin sysadm rpull rall rother
            GET    /v2/                        200    any     |  -      +       +     +    +    +     +      +      +     +     +
            GET    /v2/_catalog                200    any     |  -      +       +     +    +    +     +      +      +     +     +
            GET    tags/list                   200    private |  -      -       +     +    +    +     +      +      +     +     -
            GET    tags/list                   200    public  |  +      +       +     +    +    +     +      +      +     +     +
            GET    manifests/1.0               200    private |  -      -       +     +    +    +     +      +      +     +     -
            GET    manifests/1.0               200    public  |  +      +       +     +    +    +     +      +      +     +     +
            HEAD   manifests/1.0               200    private |  -      -       +     +    +    +     +      +      +     +     -
            HEAD   manifests/1.0               200    public  |  +      +       +     +    +    +     +      +      +     +     +
            GET    blobs/<layer>               200    private |  -      -       +     +    +    +     +      +      +     +     -
            GET    blobs/<layer>               200    public  |  +      +       +     +    +    +     +      +      +     +     +
            HEAD   blobs/<layer>               200    private |  -      -       +     +    +    +     +      +      +     +     -
            HEAD   blobs/<layer>               200    public  |  +      +       +     +    +    +     +      +      +     +     +
            GET    referrers/<manifest>        200    private |  -      -       +     +    +    +     +      +      +     +     -
            GET    referrers/<manifest>        200    public  |  +      +       +     +    +    +     +      +      +     +     +
            POST   blobs/uploads/              202    private |  -      -       -     -    +    +     +      +      -     +     -
            POST   blobs/uploads/              202    public  |  -      -       -     -    +    +     +      +      -     +     -
            POST   blobs/uploads/?digest=      201    private |  -      -       -     -    +    +     +      +      -     +     -
            POST   blobs/uploads/?digest=      201    public  |  -      -       -     -    +    +     +      +      -     +     -
            PUT    manifests/copy              201    private |  -      -       -     -    +    +     +      +      -     +     -
            PUT    manifests/copy              201    public  |  -      -       -     -    +    +     +      +      -     +     -
            DELETE manifests/<fresh-digest>    202    private |  -      -       -     -    -    +     +      +      -     +     -
            DELETE manifests/<fresh-digest>    202    public  |  -      -       -     -    -    +     +      +      -     +     -
            DELETE blobs/<fresh-digest>        202    private |  -      -       -     -    -    +     +      +      -     +     -
            DELETE blobs/<fresh-digest>        202    public  |  -      -       -     -    -    +     +      +      -     +     -
            """;
    /** The callers driven again with Bearer tokens on the projects' routes. */
    private static final Set<String> WITH_TOKENS =
            Set.of("anon", "outsider", "lguest", "dev", "maint", "rpull", "rother");

    private static final String PASSWORD = "Correct-Horse-42";
    private static final Map<String, String> REPOSITORIES = Map.of("private", "secret/app", "public", "open/app");
    private static final AtomicReference<AccessCheck> CHECK = new AtomicReference<>();
    private static final AtomicReference<List<Route>> TOKEN_ROUTES = new AtomicReference<>();

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer((AccessCheck) request -> CHECK.get().check(request),
            Route.of("token.get", HttpMethod.GET, TokenRoutes.PATH, Access.open(),
                    ex -> TOKEN_ROUTES.get().get(0).handler().handle(ex)));

    /** Each caller's Authorization header per project (the robots differ), null for anonymous. */
    private static final Map<String, Map<String, String>> AUTHORIZATION = new HashMap<>();
    private static final TestContent.Blob CONFIG = TestContent.config(1);
    private static final TestContent.Blob LAYER = TestContent.layer(1, 1024);
    private static final TestContent.Blob IMAGE = TestContent.image(CONFIG, LAYER).build();
    private static int fresh = 100;

    @BeforeAll
    static void identitiesAndContent() {
        Transactions tx = SERVER.registry().transactions();
        Clock clock = Clock.systemUTC();
        tx.useTransaction(h -> List.of("secret", "open", "elsewhere")
                .forEach(p -> h.attach(ProjectDao.class).createIfAbsent(p, clock.instant())));
        Projects projects = new Projects(tx, clock);
        projects.setPublic("open", true);
        Users users = new Users(tx, new Passwords(4), clock);
        Members members = new Members(tx, clock);
        Robots robots = new Robots(tx, clock);
        users.create("outsider", PASSWORD, null, false);
        users.create("sysadm", PASSWORD, null, true);
        Map<String, Role> roles = Map.of("lguest", Role.LIMITED_GUEST, "guest", Role.GUEST, "dev", Role.DEVELOPER,
                "maint", Role.MAINTAINER, "padmin", Role.PROJECT_ADMIN);
        roles.forEach((user, role) -> {
            users.create(user, PASSWORD, null, false);
            List.of("secret", "open").forEach(p -> members.addUser(p, user, role));
        });
        String other = robots.create("other", "elsewhere", null, null,
                Map.of("elsewhere", EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE))).secret();
        for (String project : REPOSITORIES.keySet()) {
            String name = REPOSITORIES.get(project).split("/")[0];
            Map<String, String> headers = new HashMap<>();
            for (String user : List.of("outsider", "sysadm", "lguest", "guest", "dev", "maint", "padmin")) {
                headers.put(user, basic(user, PASSWORD));
            }
            headers.put("rpull", basic("robot$" + name + "+puller", robots.create("puller", name, null, null,
                    Map.of(name, EnumSet.of(Action.PULL))).secret()));
            headers.put("rall", basic("robot$" + name + "+all", robots.create("all", name, null, null,
                    Map.of(name, EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE))).secret()));
            headers.put("rother", basic("robot$elsewhere+other", other));
            headers.forEach((caller, header) -> AUTHORIZATION.computeIfAbsent(caller, c -> new HashMap<>())
                    .put(project, header));
        }
        ScopeDecisions decisions = new ScopeDecisions(projects, members, Grants.ProjectCreation.EVERYONE, true);
        Tokens tokens = new Tokens(SigningKey.generate(), new TokenSettings("berth", "berth", Duration.ofHours(2),
                TokenSettings.DEFAULT_LEEWAY), clock);
        Authenticator authenticator = new Authenticator(users, robots, LoginThrottle.defaults());
        CHECK.set(new RegistryAccessCheck(authenticator, tokens, decisions,
                new ReadableProjects(projects, members, authenticator), new Challenge(null, "berth"),
                Executors.newVirtualThreadPerTaskExecutor()));
        TOKEN_ROUTES.set(TokenRoutes.routes(new TokenService(tokens, decisions), authenticator, "berth"));
        for (String repository : REPOSITORIES.values()) {
            asAdmin(repository, CONFIG);
            asAdmin(repository, LAYER);
            assertEquals(201, SERVER.client().put("/v2/" + repository + "/manifests/1.0", IMAGE.bytes(),
                    "Content-Type", IMAGE.mediaType(), "Authorization", basic("sysadm", PASSWORD)).statusCode());
        }
    }

    @TestFactory
    Stream<DynamicTest> withBasicCredentials() {
        return cells().map(cell -> DynamicTest.dynamicTest(cell.name(cell.allowed ? cell.success
                : cell.caller.equals("anon") ? 401 : 403), () -> {
            String authorization = cell.caller.equals("anon") ? null : AUTHORIZATION.get(cell.caller)
                    .get(cell.project.equals("any") ? "private" : cell.project);
            HttpResponse<byte[]> response = send(cell, authorization);
            if (cell.allowed) {
                assertEquals(cell.success, response.statusCode(), () -> TestContent.text(response.body()));
            } else if (cell.caller.equals("anon")) {
                assertRefused(response, 401, "UNAUTHORIZED");
                assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer realm="));
            } else {
                assertRefused(response, 403, "DENIED");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> withTokensFromTheTokenEndpoint() {
        return cells().filter(cell -> !cell.project.equals("any") && WITH_TOKENS.contains(cell.caller))
                .map(cell -> DynamicTest.dynamicTest("Bearer: " + cell.name(cell.allowed ? cell.success : 401), () -> {
                    HttpResponse<byte[]> response = send(cell, "Bearer " + token(cell));
                    if (cell.allowed) {
                        assertEquals(cell.success, response.statusCode(), () -> TestContent.text(response.body()));
                    } else {
                        assertRefused(response, 401, "UNAUTHORIZED");
                        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow()
                                .contains("error=\"insufficient_scope\""));
                    }
                }));
    }

    /** One cell of the table: a route, a caller, a project, and whether the caller may. */
    private record Cell(String method, String path, int success, String project, String caller, boolean allowed) {
        String name(int status) {
            return method + " " + path + " as " + caller + " on " + project + " → " + status;
        }
    }

    private static Stream<Cell> cells() {
        List<String> lines = POLICY.lines().filter(l -> !l.isBlank()).toList();
        List<String> callers = Arrays.asList(lines.get(0).split("\\|")[1].trim().split("\\s+"));
        Set<String> known = new HashSet<>(AUTHORIZATION.keySet());
        known.add("anon");
        assertEquals(known, Set.copyOf(callers), "the table's columns are the callers set up");
        List<Cell> cells = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] route = line.split("\\|")[0].trim().split("\\s+");
            String[] marks = line.split("\\|")[1].trim().split("\\s+");
            assertEquals(callers.size(), marks.length, line);
            for (int i = 0; i < marks.length; i++) {
                cells.add(new Cell(route[0], route[1], Integer.parseInt(route[2]), route[3], callers.get(i),
                        marks[i].equals("+")));
            }
        }
        return cells.stream();
    }

    /** Sends the cell's request; the deletes get content of their own first, pushed by the admin. */
    private static HttpResponse<byte[]> send(Cell cell, String authorization) {
        String repo = "/v2/" + REPOSITORIES.getOrDefault(cell.project, "secret/app") + "/";
        String[] auth = authorization == null ? new String[0] : new String[] {"Authorization", authorization};
        return switch (cell.method + " " + cell.path) {
            case "GET /v2/", "GET /v2/_catalog" -> SERVER.client().get(cell.path, auth);
            case "GET tags/list" -> SERVER.client().get(repo + "tags/list", auth);
            case "GET manifests/1.0" -> SERVER.client().get(repo + "manifests/1.0",
                    with(auth, "Accept", IMAGE.mediaType()));
            case "HEAD manifests/1.0" -> SERVER.client().head(repo + "manifests/1.0",
                    with(auth, "Accept", IMAGE.mediaType()));
            case "GET blobs/<layer>" -> SERVER.client().get(repo + "blobs/" + LAYER.digest(), auth);
            case "HEAD blobs/<layer>" -> SERVER.client().head(repo + "blobs/" + LAYER.digest(), auth);
            case "GET referrers/<manifest>" -> SERVER.client().get(repo + "referrers/" + IMAGE.digest(), auth);
            case "POST blobs/uploads/" -> SERVER.client().post(repo + "blobs/uploads/", new byte[0], auth);
            case "POST blobs/uploads/?digest=" -> SERVER.client().post(repo + "blobs/uploads/?digest="
                    + LAYER.digest(), LAYER.bytes(), with(auth, "Content-Type", "application/octet-stream"));
            case "PUT manifests/copy" -> SERVER.client().put(repo + "manifests/copy", IMAGE.bytes(),
                    with(auth, "Content-Type", IMAGE.mediaType()));
            case "DELETE manifests/<fresh-digest>" -> {
                TestContent.Blob manifest = TestContent.image(CONFIG, LAYER).annotation("cell", "" + fresh++).build();
                assertEquals(201, SERVER.client().put(repo + "manifests/" + manifest.digest(), manifest.bytes(),
                        "Content-Type", manifest.mediaType(), "Authorization", basic("sysadm", PASSWORD)).statusCode());
                yield SERVER.client().delete(repo + "manifests/" + manifest.digest(), auth);
            }
            case "DELETE blobs/<fresh-digest>" -> {
                TestContent.Blob blob = asAdmin(repo.substring(4, repo.length() - 1), TestContent.layer(fresh++, 64));
                yield SERVER.client().delete(repo + "blobs/" + blob.digest(), auth);
            }
            default -> throw new IllegalArgumentException("no request for " + cell.method + " " + cell.path);
        };
    }

    /** A token for the cell's caller from the token endpoint, asking for everything on the repository. */
    private static String token(Cell cell) throws Exception {
        String scope = "repository:" + REPOSITORIES.get(cell.project) + ":pull,push,delete";
        String authorization = AUTHORIZATION.getOrDefault(cell.caller, Map.of()).get(cell.project);
        HttpResponse<byte[]> response = SERVER.client().get(TokenRoutes.PATH + "?service=berth&scope=" + scope,
                authorization == null ? new String[0] : new String[] {"Authorization", authorization});
        assertEquals(200, response.statusCode(), () -> TestContent.text(response.body()));
        return json(response.body()).get("token").asText();
    }

    private static TestContent.Blob asAdmin(String repository, TestContent.Blob blob) {
        HttpResponse<byte[]> response = SERVER.client().post("/v2/" + repository + "/blobs/uploads/?digest="
                + blob.digest(), blob.bytes(), "Content-Type", "application/octet-stream",
                "Authorization", basic("sysadm", PASSWORD));
        assertEquals(201, response.statusCode(), () -> TestContent.text(response.body()));
        return blob;
    }

    /** A refusal: a HEAD's has no body to look into. */
    private static void assertRefused(HttpResponse<byte[]> response, int status, String code) {
        if (response.request().method().equals("HEAD")) {
            assertEquals(status, response.statusCode());
        } else {
            assertError(response, status, code);
        }
    }

    private static String[] with(String[] headers, String... more) {
        String[] all = Arrays.copyOf(headers, headers.length + more.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
