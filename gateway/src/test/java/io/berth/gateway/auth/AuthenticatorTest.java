package io.berth.gateway.auth;

import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.token.Tokens;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Basic credentials of users and robots, and the throttle on failed sign-ins. */
@OnH2AndPostgres
class AuthenticatorTest extends DatabaseTestBase {
    private static final String PASSWORD = "Correct-Horse-42";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Authenticator authenticator;
    private Users users;
    private String robotSecret;

    AuthenticatorTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        Transactions tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        users = new Users(tx, new Passwords(4), clock);
        Robots robots = new Robots(tx, clock);
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent("team", clock.instant()));
        users.create("alice", PASSWORD, null, false);
        users.create("bob", PASSWORD, null, false);
        users.create("admin", PASSWORD, null, true);
        robotSecret = robots.create("ci", "team", null, null, Map.of("team", EnumSet.of(Action.PULL))).secret();
        authenticator = new Authenticator(users, robots, new LoginThrottle(3, 5, Duration.ofHours(1)));
    }

    @Test
    void aRefreshTokenFromBeforeAPasswordChange_buysNothing_andOneFromAfterItDoes() {
        Tokens.RefreshGrant before = new Tokens.RefreshGrant("alice", clock.instant());
        assertEquals("alice", authenticator.refreshed(before).name());

        clock.advance(Duration.ofMinutes(5));
        users.changePassword("alice", PASSWORD, "Another-Horse-43", false);
        RegistryException e = assertThrows(RegistryException.class, () -> authenticator.refreshed(before));
        assertEquals(401, e.code().status());
        assertTrue(e.getMessage().contains("sign in again"), e.getMessage());

        assertEquals("alice", authenticator.refreshed(new Tokens.RefreshGrant("alice", clock.instant())).name());
    }

    @Test
    void noCredentials_isAnonymous() {
        assertInstanceOf(Principal.Anonymous.class, authenticator.basic(null, "10.0.0.1"));
    }

    @Test
    void usersAndRobots_signInWithTheirCredentials() {
        assertEquals(new Principal.User("alice", false), authenticator.basic(basic("alice", PASSWORD), "10.0.0.1"));
        assertEquals(new Principal.User("admin", true), authenticator.basic(basic("admin", PASSWORD), "10.0.0.1"));
        Principal robot = authenticator.basic(basic("robot$team+ci", robotSecret), "10.0.0.1");
        assertEquals("robot$team+ci", robot.name());
        assertEquals(EnumSet.of(Action.PULL), ((Principal.Robot) robot).actionsIn("team"));
    }

    @Test
    void wrongOrMalformedCredentials_are401_withoutRepeatingThePassword() {
        RegistryException wrong = refused(ErrorCode.UNAUTHORIZED, basic("alice", "Guess-Number-1"), "10.0.0.1");
        assertFalse(wrong.getMessage().contains("Guess-Number-1"));
        refused(ErrorCode.UNAUTHORIZED, basic("robot$team+ci", "not-the-secret"), "10.0.0.1");
        refused(ErrorCode.UNAUTHORIZED, "Basic %%%", "10.0.0.1");
        refused(ErrorCode.UNAUTHORIZED, "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes()), "10.0.0.1");
        refused(ErrorCode.UNAUTHORIZED, "Digest username=alice", "10.0.0.1");
    }

    @Test
    void afterTooManyFailures_aNameIsRefused_evenWithTheRightPassword_andOthersAreNot() {
        for (int i = 0; i < 3; i++) {
            refused(ErrorCode.UNAUTHORIZED, basic("alice", "Guess-Number-" + i), "10.0.0." + i);
        }

        RegistryException throttled = refused(ErrorCode.TOOMANYREQUESTS, basic("alice", PASSWORD), "10.0.0.9");
        assertTrue(throttled.headers().containsKey("Retry-After"), "says when to come back");
        assertEquals(new Principal.User("bob", false), authenticator.basic(basic("bob", PASSWORD), "10.0.0.9"));
    }

    @Test
    void afterTooManyFailuresFromOneAddress_itIsRefused_andOtherAddressesAreNot() {
        for (int i = 0; i < 5; i++) {
            refused(ErrorCode.UNAUTHORIZED, basic("user" + i, "Guess-Number-1"), "10.0.0.66");
        }

        refused(ErrorCode.TOOMANYREQUESTS, basic("bob", PASSWORD), "10.0.0.66");
        assertEquals(new Principal.User("bob", false), authenticator.basic(basic("bob", PASSWORD), "10.0.0.7"));
    }

    private RegistryException refused(ErrorCode code, String authorization, String address) {
        RegistryException e = assertThrows(RegistryException.class, () -> authenticator.basic(authorization, address));
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
