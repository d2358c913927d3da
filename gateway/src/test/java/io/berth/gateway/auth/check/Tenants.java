package io.berth.gateway.auth.check;

import io.berth.gateway.auth.Access;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Identity;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.token.SigningKey;
import io.berth.gateway.auth.token.TokenRoutes;
import io.berth.gateway.auth.token.TokenSettings;
import io.berth.gateway.http.Route;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.V2Client;
import io.berth.store.meta.ProjectDao;
import io.netty.handler.codec.http.HttpMethod;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static io.berth.gateway.testing.OciAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A registry with access control on, put together as the server does ({@link Identity}), and the
 * people of the content-boundary tests: private projects {@code alpha}, {@code bravo} and
 * {@code charlie}, public {@code pub}; {@code alice} develops in alpha only, {@code bob} in bravo
 * only, {@code carol} in all three, {@code admin} is a system admin, and the robot
 * {@code robot$alpha+ci} pulls and pushes in alpha. Register {@link #server} as an extension and call {@link #start} before the tests.
 */
final class Tenants {
    static final String PASSWORD = "Correct-Horse-42";
    static final String ROBOT = "robot$alpha+ci";

    private final AtomicReference<AccessCheck> check = new AtomicReference<>();
    private final AtomicReference<Identity> identity = new AtomicReference<>();
    private String robotSecret;

    final RegistryServer server = new RegistryServer((AccessCheck) request -> check.get().check(request),
            Route.of("token.get", HttpMethod.GET, TokenRoutes.PATH, Access.open(),
                    ex -> identity.get().routes().get(0).handler().handle(ex)));

    /** Creates the projects, accounts and memberships; call once the server runs. */
    void start() {
        Clock clock = Clock.systemUTC();
        Identity id = new Identity(server.registry().transactions(), SigningKey.generate(), new Identity.Settings(
                new TokenSettings("berth", "berth", Duration.ofHours(1), TokenSettings.DEFAULT_LEEWAY), null,
                Grants.ProjectCreation.EVERYONE, true, 4), clock);
        identity.set(id);
        check.set(id.accessCheck());
        server.registry().transactions().useTransaction(h -> {
            for (String project : new String[] {"alpha", "bravo", "charlie", "pub"}) {
                h.attach(ProjectDao.class).createIfAbsent(project, clock.instant());
            }
        });
        id.projects().setPublic("pub", true);
        id.users().create("alice", PASSWORD, null, false);
        id.users().create("bob", PASSWORD, null, false);
        id.users().create("carol", PASSWORD, null, false);
        id.users().create("admin", PASSWORD, null, true);
        id.members().addUser("alpha", "alice", Role.DEVELOPER);
        id.members().addUser("bravo", "bob", Role.DEVELOPER);
        id.members().addUser("alpha", "carol", Role.DEVELOPER);
        id.members().addUser("bravo", "carol", Role.DEVELOPER);
        id.members().addUser("charlie", "carol", Role.DEVELOPER);
        robotSecret = id.robots().create("ci", "alpha", null, null,
                Map.of("alpha", EnumSet.of(Action.PULL, Action.PUSH))).secret();
    }

    V2Client client() {
        return server.client();
    }

    /** The Basic credentials of a user, or of the robot when {@code name} is {@link #ROBOT}. */
    String basic(String name) {
        String secret = name.equals(ROBOT) ? robotSecret : PASSWORD;
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A Bearer header from the token endpoint, as docker gets one: signed in as {@code name} (null
     * for anonymous), asking for {@code scopes}; the token holds what of them the account may have.
     */
    String bearer(String name, String... scopes) {
        String query = Arrays.stream(scopes).map(s -> "scope=" + URLEncoder.encode(s, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String path = TokenRoutes.PATH + "?service=berth" + (query.isEmpty() ? "" : "&" + query);
        HttpResponse<byte[]> response = name == null ? client().get(path) : client().get(path, "Authorization",
                basic(name));
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        return "Bearer " + json(response.body()).get("token").asText();
    }
}
