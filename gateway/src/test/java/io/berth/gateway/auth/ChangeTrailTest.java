package io.berth.gateway.auth;

import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.robots.Robots;
import io.berth.gateway.auth.users.Passwords;
import io.berth.gateway.auth.users.Users;
import io.berth.store.Caller;
import io.berth.store.audit.AuditEntry;
import io.berth.store.audit.AuditLog;
import io.berth.store.audit.AuditQuery;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Changes to accounts, projects, members and robots leave one audit line each, naming who made them. */
@OnH2AndPostgres
class ChangeTrailTest extends DatabaseTestBase {
    private static final Caller ALICE = new Caller("alice", Caller.Kind.USER, "10.0.0.7");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    private AuditLog audit;
    private Users users;
    private Members members;
    private Robots robots;
    private Projects projects;

    ChangeTrailTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        Transactions tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        audit = new AuditLog(tx);
        users = new Users(tx, new Passwords(4), clock);
        members = new Members(tx, clock);
        robots = new Robots(tx, clock);
        projects = new Projects(tx, clock);
    }

    @Test
    void eachChange_isOneLine_byWhoMadeIt_andARefusedOneLeavesNone() {
        users.create("alice", "Correct-Horse-42", null, false);
        members.as(ALICE).createProject("team", false, "alice");
        users.as(ALICE).create("bob", "Correct-Horse-42", "bob@example.com", false);
        members.as(ALICE).addUser("team", "bob", Role.DEVELOPER);
        members.as(ALICE).changeRole("team", "bob", Role.MAINTAINER);
        long robot = robots.as(ALICE).create("ci", "team", null, 30, Map.of("team", EnumSet.of(Action.PULL))).robot()
                .id();
        robots.as(ALICE).rotate(robot);
        projects.as(ALICE).setPublic("team", true);
        assertThrows(RegistryException.class, () -> users.as(ALICE).create("bob", "Correct-Horse-42", null, false));
        robots.as(ALICE).delete(robot);
        members.as(ALICE).remove("team", "bob");
        users.as(ALICE).delete("bob");

        List<AuditEntry> lines = audit.find(AuditQuery.all(), 1, 50).entries().reversed();
        assertEquals(List.of("create user alice", "create project team", "create user bob", "create member bob",
                        "update member bob", "create robot robot$team+ci", "update robot robot$team+ci",
                        "update project team", "delete robot robot$team+ci", "delete member bob", "delete user bob"),
                lines.stream().map(l -> l.action() + " " + l.resourceType() + " " + l.resource()).toList());
        assertEquals(Caller.system("berth"), lines.getFirst().who(), "not made through the admin API");
        lines.subList(1, lines.size()).forEach(l -> assertEquals(ALICE, l.who()));
        assertEquals("team:pull", lines.get(5).detail());
        assertEquals("maintainer", lines.get(4).detail());
        assertEquals("team", lines.get(3).project());
        lines.forEach(l -> assertFalse(l.toString().contains("Correct-Horse-42")));
    }
}
