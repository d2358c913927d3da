package io.berth.gateway.auth.robots;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Principal;
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
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Robot accounts on both databases: names, one-time secrets, permissions, expiry and disabling. */
@OnH2AndPostgres
class RobotsTest extends DatabaseTestBase {
    private static final Map<String, Set<Action>> PULL_PUSH_TEAM = Map.of("team", EnumSet.of(Action.PULL, Action.PUSH));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Transactions tx;
    private Robots robots;

    RobotsTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void openRobots() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        robots = new Robots(tx, clock);
        tx.useTransaction(h -> {
            h.attach(ProjectDao.class).createIfAbsent("team", clock.instant());
            h.attach(ProjectDao.class).createIfAbsent("other", clock.instant());
        });
    }

    @Test
    void aProjectRobot_isNamedAfterItsProject_andSignsInWithItsSecretOnly() {
        Robots.Created created = robots.create("ci", "team", "CI pushes", 30, PULL_PUSH_TEAM);

        assertEquals("robot$team+ci", created.robot().name());
        assertEquals("team", created.robot().project());
        assertEquals(clock.instant().plus(Duration.ofDays(30)), created.robot().expiresAt());
        Principal.Robot signedIn = robots.authenticate("robot$team+ci", created.secret()).orElseThrow();
        assertEquals(EnumSet.of(Action.PULL, Action.PUSH), signedIn.actionsIn("team"));
        assertEquals(Set.of(), signedIn.actionsIn("other"));
        assertTrue(robots.authenticate("robot$team+ci", created.secret() + "x").isEmpty());
        assertTrue(robots.authenticate("robot$team+nobody", created.secret()).isEmpty());
    }

    @Test
    void theSecret_isKeptOnlyAsAHash() {
        Robots.Created created = robots.create("ci", "team", null, -1, PULL_PUSH_TEAM);

        String stored = tx.withHandle(h -> h.createQuery("SELECT secret_hash FROM robot").mapTo(String.class).one());
        assertFalse(stored.contains(created.secret()));
        assertTrue(created.secret().length() >= 43, "256 random bits");
        assertNull(created.robot().expiresAt(), "-1 is never");
    }

    @Test
    void aSystemRobot_mayHoldPermissionsInSeveralProjects_orInAll() {
        Robots.Created mirror = robots.create("mirror", null, null, null,
                Map.of("*", EnumSet.of(Action.PULL), "team", EnumSet.of(Action.PUSH)));

        assertEquals("robot$mirror", mirror.robot().name());
        Principal.Robot signedIn = robots.authenticate("robot$mirror", mirror.secret()).orElseThrow();
        assertEquals(EnumSet.of(Action.PULL, Action.PUSH), signedIn.actionsIn("team"));
        assertEquals(EnumSet.of(Action.PULL), signedIn.actionsIn("other"));
    }

    @Test
    void rotating_givesANewSecret_andTheOldOneStopsWorking() {
        Robots.Created created = robots.create("ci", "team", null, null, PULL_PUSH_TEAM);

        Robots.Created rotated = robots.rotate(created.robot().id());

        assertTrue(robots.authenticate("robot$team+ci", created.secret()).isEmpty());
        assertTrue(robots.authenticate("robot$team+ci", rotated.secret()).isPresent());
    }

    @Test
    void disabledAndExpiredRobots_cannotSignIn() {
        Robots.Created created = robots.create("ci", "team", null, 1, PULL_PUSH_TEAM);
        long id = created.robot().id();

        robots.setDisabled(id, true);
        assertTrue(robots.authenticate("robot$team+ci", created.secret()).isEmpty());
        robots.setDisabled(id, false);
        assertTrue(robots.authenticate("robot$team+ci", created.secret()).isPresent());
        clock.advance(Duration.ofDays(1));
        assertTrue(robots.authenticate("robot$team+ci", created.secret()).isEmpty(), "expired");
    }

    @Test
    void listing_byProject_andAll() {
        robots.create("b", "team", null, null, PULL_PUSH_TEAM);
        robots.create("a", "team", null, null, PULL_PUSH_TEAM);
        robots.create("sys", null, null, null, Map.of("other", EnumSet.of(Action.PULL)));

        assertEquals(List.of("robot$team+a", "robot$team+b"),
                robots.list("team", 1, 10).robots().stream().map(Robot::name).toList());
        assertEquals(3, robots.list(null, 1, 2).total());
        assertEquals(2, robots.list(null, 1, 2).robots().size());
    }

    @Test
    void deletingTheProject_deletesItsRobots() {
        robots.create("ci", "team", null, null, PULL_PUSH_TEAM);

        tx.useTransaction(h -> h.execute("DELETE FROM project WHERE name = 'team'"));

        assertEquals(0, robots.list(null, 1, 10).total());
    }

    @Test
    void aRobotsDescriptionAndPermissions_change_andItSignsInWithTheNewOnes() {
        Robots.Created created = robots.create("ci", "team", "old", null, PULL_PUSH_TEAM);
        long id = created.robot().id();

        Robot robot = robots.update(id, "pulls only now", null, Map.of("team", EnumSet.of(Action.PULL)));

        assertEquals("pulls only now", robot.description());
        assertEquals(Map.of("team", EnumSet.of(Action.PULL)), robot.permissions());
        assertFalse(robot.disabled());
        assertEquals(EnumSet.of(Action.PULL), robots.authenticate("robot$team+ci", created.secret()).orElseThrow()
                .actionsIn("team"));
        assertTrue(robots.update(id, null, true, null).disabled());
        assertEquals("pulls only now", robots.get(id).description(), "what is not given stays");
    }

    @Test
    void changes_followTheRulesOfCreation_andARefusalChangesNothing() {
        long project = robots.create("ci", "team", "kept", null, PULL_PUSH_TEAM).robot().id();
        long system = robots.create("sys", null, null, null, Map.of("team", EnumSet.of(Action.PULL))).robot().id();

        assertFailure(ErrorCode.INVALID_INPUT, () -> robots.update(project, "changed", true, Map.of("other",
                EnumSet.of(Action.PULL))));
        assertFailure(ErrorCode.INVALID_INPUT, () -> robots.update(project, null, null, Map.of()));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> robots.update(system, "changed", true, Map.of("nowhere",
                EnumSet.of(Action.PULL))));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> robots.update(9999, null, null, PULL_PUSH_TEAM));
        assertFailure(ErrorCode.INVALID_INPUT, () -> robots.update(project, "x".repeat(1025), null, null));
        assertEquals(PULL_PUSH_TEAM, robots.get(project).permissions());
        assertEquals("kept", robots.get(project).description());
        assertFalse(robots.get(system).disabled(), "the refused change left nothing behind");
        assertNull(robots.get(system).description());

        robots.update(system, null, null, Map.of("*", EnumSet.of(Action.PULL), "other", EnumSet.of(Action.PUSH)));
        assertEquals(Map.of("*", EnumSet.of(Action.PULL), "other", EnumSet.of(Action.PUSH)),
                robots.get(system).permissions());
    }

    @Test
    void mistakes_getClearRefusals_andCreateNothing() {
        robots.create("ci", "team", null, null, PULL_PUSH_TEAM);

        assertFailure(ErrorCode.CONFLICT, () -> robots.create("ci", "team", null, null, PULL_PUSH_TEAM));
        assertFailure(ErrorCode.INVALID_INPUT, () -> robots.create("Bad Name", "team", null, null, PULL_PUSH_TEAM));
        assertFailure(ErrorCode.INVALID_INPUT, () -> robots.create("x", "team", null, 0, PULL_PUSH_TEAM));
        assertFailure(ErrorCode.INVALID_INPUT, () -> robots.create("x", "team", null, 3651, PULL_PUSH_TEAM));
        assertFailure(ErrorCode.INVALID_INPUT, () -> robots.create("x", "team", null, null, Map.of()));
        assertFailure(ErrorCode.INVALID_INPUT, () -> robots.create("x", "team", null, null,
                Map.of("other", EnumSet.of(Action.PULL))));
        assertFailure(ErrorCode.INVALID_INPUT, () -> robots.create("x", "team", null, null,
                Map.of("team", EnumSet.of(Action.CATALOG))));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> robots.create("x", "nowhere", null, null,
                Map.of("nowhere", EnumSet.of(Action.PULL))));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> robots.create("x", null, null, null,
                Map.of("nowhere", EnumSet.of(Action.PULL))));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> robots.rotate(9999));
        assertFailure(ErrorCode.INVALID_INPUT, () -> robots.create("x", "team", "x".repeat(1025), null,
                PULL_PUSH_TEAM));
        assertEquals(1, robots.list(null, 1, 10).total());
    }

    private static void assertFailure(ErrorCode code, Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }
}
