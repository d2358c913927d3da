package io.berth.gateway.auth.check;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Authenticator;
import io.berth.gateway.auth.LoginThrottle;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.ProjectFacts;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.token.VerifiedToken;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.store.Readable;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What callers may read, worked out from the identity model on both databases: system admins
 * everything, others the public projects and those they may pull from, a token no more than it
 * grants.
 */
@OnH2AndPostgres
class ReadableProjectsTest extends DatabaseTestBase {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Projects projects;
    private Users users;
    private Robots robots;
    private ReadableProjects readable;

    ReadableProjectsTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void identities() {
        Transactions tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        projects = new Projects(tx, clock);
        users = new Users(tx, new Passwords(4), clock);
        robots = new Robots(tx, clock);
        Members members = new Members(tx, clock);
        tx.useTransaction(h -> {
            for (String project : List.of("team", "other", "lib")) {
                h.attach(ProjectDao.class).createIfAbsent(project, clock.instant());
            }
        });
        projects.setPublic("lib", true);
        users.create("alice", "Correct-Horse-42", null, false);
        users.create("bob", "Correct-Horse-42", null, false);
        members.addUser("team", "alice", Role.LIMITED_GUEST);
        members.addUser("other", "alice", Role.GUEST);
        members.addUser("other", "bob", Role.DEVELOPER);
        readable = new ReadableProjects(projects, members, new Authenticator(users, robots, LoginThrottle.defaults()));
    }

    private long id(String project) {
        return projects.find(project).orElseThrow().id();
    }

    private Set<Long> ids(String... names) {
        Set<Long> ids = new HashSet<>();
        for (String name : names) {
            ids.add(id(name));
        }
        return ids;
    }

    @Test
    void aUser_readsThePublicProjects_andEveryProjectTheyAreAMemberOf() {
        Readable.Reach alice = readable.of(new Principal.User("alice", false), Set.of()).reach();

        assertEquals(ids("team", "other", "lib"), alice.projects());
        assertFalse(alice.everything());
        assertEquals(ids("other", "lib"), readable.of(new Principal.User("bob", false), Set.of()).reach().projects());
    }

    @Test
    void aSystemAdmin_readsEverything_withoutAsking() {
        assertSame(Readable.ALL, readable.of(new Principal.User("admin", true), Set.of()));
        assertTrue(readable.of(new Principal.Robot("robot$mirror", Map.of(Principal.ALL_PROJECTS,
                EnumSet.of(Action.PULL))), Set.of()).reach().everything());
    }

    @Test
    void anonymousCallers_readThePublicProjects() {
        assertEquals(ids("lib"), readable.of(new Principal.Anonymous(), Set.of()).reach().projects());
    }

    @Test
    void aRobot_readsTheProjectsItMayPullFrom() {
        Principal robot = new Principal.Robot("robot$team+ci", Map.of("team", EnumSet.of(Action.PULL),
                "other", EnumSet.of(Action.PUSH), "gone", EnumSet.of(Action.PULL)));

        assertEquals(ids("team", "lib"), readable.of(robot, Set.of()).reach().projects());
    }

    @Test
    void grantedRepositories_countAtOnce_andInTheReach() {
        Readable r = readable.of(new Principal.Anonymous(), Set.of("other/app"));

        assertTrue(r.granted(RepositoryName.parse("other/app")));
        assertFalse(r.granted(RepositoryName.parse("lib/app")), "granted means granted for the request, not public");
        assertEquals(Set.of("other/app"), r.reach().repositories());
    }

    @Test
    void aToken_readsThePublicProjects_andTheRepositoriesItGrantsPullOn_inProjectsItIsBoundTo() {
        VerifiedToken token = new VerifiedToken("bob", List.of(
                Scope.repository(RepositoryName.parse("other/app"), Action.PULL, Action.PUSH),
                Scope.repository(RepositoryName.parse("other/pushed"), Action.PUSH),
                Scope.repository(RepositoryName.parse("team/old"), Action.PULL)),
                clock.instant(), Map.of("other", id("other"), "team", id("team") + 1000), clock.instant().plusSeconds(600));

        Readable.Reach reach = readable.ofToken(token, Set.of(), false).reach();

        assertEquals(ids("lib"), reach.projects(), "not the whole of other, though bob may read it");
        assertEquals(Set.of("other/app"), reach.repositories(), "team/old is for an earlier project team");
    }

    @Test
    void aTokenListingTheCatalog_seesWhatItsSubjectSees_asTheSubjectIsNow() {
        VerifiedToken alice = new VerifiedToken("alice", List.of(Scope.catalog()), clock.instant(), Map.of(), clock.instant().plusSeconds(600));
        VerifiedToken gone = new VerifiedToken("nobody", List.of(Scope.catalog()), clock.instant(), Map.of(), clock.instant().plusSeconds(600));
        VerifiedToken anonymous = new VerifiedToken("", List.of(Scope.catalog()), clock.instant(), Map.of(), clock.instant().plusSeconds(600));

        assertEquals(ids("team", "other", "lib"), readable.ofToken(alice, Set.of(), true).reach().projects());
        assertEquals(ids("lib"), readable.ofToken(gone, Set.of(), true).reach().projects());
        assertEquals(ids("lib"), readable.ofToken(anonymous, Set.of(), true).reach().projects());
        users.setSysadmin("alice", true);
        assertTrue(readable.ofToken(alice, Set.of(), true).reach().everything());
    }

    @Test
    void projectFacts_ofMoreNamesThanOneQueryTakes_areFound() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            names.add("absent-" + i);
        }
        names.add("lib");
        names.add("team");

        assertEquals(Set.of("lib", "team"), Set.copyOf(projects.findAll(names).stream().map(ProjectFacts::name)
                .toList()));
    }
}
