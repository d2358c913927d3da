package io.berth.gateway.auth.projects;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.ProjectVisibility;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.robots.Robot;
import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.ProjectRow;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Projects as callers see them, and deleting them with what belongs to them; on both databases. */
@OnH2AndPostgres
class ProjectsTest extends DatabaseTestBase {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Transactions tx;
    private Projects projects;
    private Members members;
    private Robots robots;

    ProjectsTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void openProjects() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        projects = new Projects(tx, clock);
        members = new Members(tx, clock);
        robots = new Robots(tx, clock);
        Users users = new Users(tx, new Passwords(4), clock);
        users.create("alice", "Correct-Horse-42", null, false);
        users.create("bob", "Correct-Horse-42", null, false);
        projects.create("library", true);
        members.createProject("team", false, "alice");
        projects.create("secret", false);
    }

    @Test
    void eachCaller_seesPublicProjects_andTheirOwn_andASystemAdminSeesAll() {
        Principal robot = new Principal.Robot("robot$x", Map.of("secret", EnumSet.of(Action.PULL)));
        Principal everywhere = new Principal.Robot("robot$y", Map.of("*", EnumSet.of(Action.PULL)));

        assertEquals(List.of("library"), visibleTo(new Principal.Anonymous()));
        assertEquals(List.of("library"), visibleTo(new Principal.User("bob", false)));
        assertEquals(List.of("library", "team"), visibleTo(new Principal.User("alice", false)));
        assertEquals(List.of("library", "secret"), visibleTo(robot));
        assertEquals(List.of("library", "secret", "team"), visibleTo(everywhere));
        assertEquals(List.of("library", "secret", "team"), visibleTo(new Principal.User("admin", true)));
    }

    @Test
    void listings_arePaged_withTheTotalOfWhatTheCallerSees() {
        Projects.Listing page = projects.list(visibility(new Principal.User("admin", true)), 2, 2);

        assertEquals(3, page.total());
        assertEquals(List.of("team"), page.projects().stream().map(ProjectRow::name).toList());
        assertEquals(1, projects.list(visibility(new Principal.Anonymous()), 1, 10).total());
    }

    @Test
    void visibility_changes() {
        projects.setPublic("secret", true);

        assertTrue(projects.get("secret").isPublic());
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> projects.setPublic("nope", true));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> projects.get("nope"));
    }

    @Test
    void deletingAProject_takesItsMembersAndRobots_andWhatSystemRobotsWereGivenInIt() {
        members.addUser("team", "bob", Role.DEVELOPER);
        robots.create("ci", "team", null, null, Map.of("team", EnumSet.of(Action.PUSH)));
        long system = robots.create("mirror", null, null, null, Map.of("team", EnumSet.of(Action.PULL),
                "library", EnumSet.of(Action.PULL))).robot().id();

        projects.delete("team");

        assertTrue(projects.find("team").isEmpty());
        members.createProject("team", false, "bob");
        assertTrue(members.roleOf("team", "alice", List.of()).isEmpty(), "the old members are gone");
        assertEquals(List.of("robot$mirror"), robots.list(null, 1, 10).robots().stream()
                .map(Robot::name).toList());
        assertEquals(Map.of("library", EnumSet.of(Action.PULL)), robots.get(system).permissions());
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> projects.delete("nope"));
    }

    @Test
    void creatingAnExistingOrBadlyNamedProject_isRefused() {
        assertFailure(ErrorCode.CONFLICT, () -> projects.create("library", false));
        assertFailure(ErrorCode.NAME_INVALID, () -> projects.create("Library", false));
        assertTrue(projects.get("library").isPublic(), "unchanged");
    }

    private List<String> visibleTo(Principal who) {
        return projects.list(visibility(who), 1, 100).projects().stream().map(ProjectRow::name).toList();
    }

    private static ProjectVisibility visibility(Principal who) {
        return Grants.visibleProjects(who);
    }

    private static void assertFailure(ErrorCode code, Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }
}
