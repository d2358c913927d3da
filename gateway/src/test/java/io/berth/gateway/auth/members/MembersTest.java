package io.berth.gateway.auth.members;

import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.projects.Projects;
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
import org.junit.jupiter.api.function.Executable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Project members on both databases: users and groups, the highest role wins, clear refusals. */
@OnH2AndPostgres
class MembersTest extends DatabaseTestBase {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Transactions tx;
    private Members members;
    private Users users;

    MembersTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void openMembers() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        members = new Members(tx, clock);
        users = new Users(tx, new Passwords(4), clock);
        tx.useTransaction(h -> {
            h.attach(ProjectDao.class).createIfAbsent("team", clock.instant());
            h.attach(ProjectDao.class).createIfAbsent("other", clock.instant());
        });
        for (String name : List.of("alice", "bob")) {
            users.create(name, "Correct-Horse-42", null, false);
        }
    }

    @Test
    void aMembersRole_isTheirs_inThatProjectOnly() {
        members.addUser("team", "alice", Role.DEVELOPER);

        assertEquals(Optional.of(Role.DEVELOPER), members.roleOf("team", "alice", List.of()));
        assertEquals(Optional.empty(), members.roleOf("other", "alice", List.of()));
        assertEquals(Optional.empty(), members.roleOf("team", "bob", List.of()));
    }

    @Test
    void memberships_listEveryProjectOnce_withTheHighestRole() {
        members.addUser("team", "alice", Role.GUEST);
        members.addGroup("team", "ops", Role.MAINTAINER);
        members.addGroup("other", "ops", Role.LIMITED_GUEST);

        assertEquals(List.of("other:limitedGuest", "team:maintainer"), members.memberships("alice", List.of("ops"))
                .stream().map(m -> m.project() + ":" + m.role().wireName()).sorted().toList());
        assertEquals(List.of("team:guest"), members.memberships("alice", List.of()).stream()
                .map(m -> m.project() + ":" + m.role().wireName()).toList());
        assertEquals(List.of(), members.memberships("bob", List.of()));
    }

    @Test
    void theHighestRole_winsAcrossDirectAndGroupMembership() {
        members.addUser("team", "alice", Role.GUEST);
        members.addGroup("team", "cn=ops,ou=groups,dc=example,dc=org", Role.MAINTAINER);
        members.addGroup("team", "readers", Role.LIMITED_GUEST);

        assertEquals(Optional.of(Role.MAINTAINER), members.roleOf("team", "alice",
                List.of("readers", "cn=ops,ou=groups,dc=example,dc=org")));
        assertEquals(Optional.of(Role.GUEST), members.roleOf("team", "alice", List.of("readers")));
        assertEquals(Optional.of(Role.LIMITED_GUEST), members.roleOf("team", "bob", List.of("readers")));
    }

    @Test
    void groups_matchWhateverTheirCase_asADirectoryComparesThem() {
        members.addGroup("team", "CN=Ops,OU=Groups,DC=example,DC=org", Role.DEVELOPER);
        members.addGroup("team", "Readers", Role.GUEST);

        assertEquals(Optional.of(Role.DEVELOPER), members.roleOf("team", "carol",
                List.of("cn=ops,ou=groups,dc=example,dc=org")));
        assertEquals(Optional.of(Role.GUEST), members.roleOf("team", "dave", List.of("readers")));
        assertEquals(Optional.empty(), members.roleOf("team", "erin", List.of("cn=ops")));
    }

    @Test
    void rolesChange_andMembersLeave() {
        members.addUser("team", "alice", Role.GUEST);

        members.changeRole("team", "alice", Role.PROJECT_ADMIN);
        assertEquals(Optional.of(Role.PROJECT_ADMIN), members.roleOf("team", "alice", List.of()));

        members.remove("team", "alice");
        assertEquals(Optional.empty(), members.roleOf("team", "alice", List.of()));
    }

    @Test
    void listing_namesUsersAndGroups_withTheTotal() {
        members.addUser("team", "bob", Role.DEVELOPER);
        members.addUser("team", "alice", Role.GUEST);
        members.addGroup("team", "readers", Role.LIMITED_GUEST);

        Members.Listing page = members.list("team", 1, 2);

        assertEquals(3, page.total());
        assertEquals(List.of("alice", "bob"), page.members().stream().map(Member::username).toList());
        assertEquals("readers", members.list("team", 2, 2).members().getFirst().group());
    }

    @Test
    void aDeletedUser_isNoLongerAMember() {
        members.addUser("team", "alice", Role.DEVELOPER);

        users.delete("alice");

        assertEquals(0, members.list("team", 1, 10).total());
    }

    @Test
    void aProjectCreatedForAPush_makesThePusherItsAdmin_andAnExistingOneIsLeftAlone() {
        assertTrue(members.createProjectFor("fresh", "alice"));
        assertEquals(Optional.of(Role.PROJECT_ADMIN), members.roleOf("fresh", "alice", List.of()));

        assertFalse(members.createProjectFor("fresh", "bob"));
        assertFalse(members.createProjectFor("team", "bob"));
        assertEquals(Optional.empty(), members.roleOf("fresh", "bob", List.of()));
        assertEquals(Optional.empty(), members.roleOf("team", "bob", List.of()));
    }

    @Test
    void aProjectCreatedByItsCreator_makesThemItsAdmin_withTheVisibilityAsked() {
        members.createProject("fresh", true, "alice");

        assertEquals(Optional.of(Role.PROJECT_ADMIN), members.roleOf("fresh", "alice", List.of()));
        assertTrue(new Projects(tx, clock).find("fresh").orElseThrow().isPublic());
        assertFailure(ErrorCode.CONFLICT, () -> members.createProject("fresh", false, "bob"));
        assertFailure(ErrorCode.NAME_INVALID, () -> members.createProject("Bad/Name", false, "bob"));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> members.createProject("ghosts", false, "ghost"));
        assertTrue(new Projects(tx, clock).find("ghosts").isEmpty(),
                "nothing is left of a creation that failed");
    }

    @Test
    void aGroupsRole_changes_andTheGroupLeaves_byItsName() {
        String ops = "cn=ops,ou=groups,dc=example,dc=org";
        members.addGroup("team", ops, Role.GUEST);

        assertEquals(Role.MAINTAINER, members.changeRole("team", ops, Role.MAINTAINER).role());
        assertEquals(Optional.of(Role.MAINTAINER), members.roleOf("team", "bob", List.of(ops)));

        members.remove("team", ops);
        assertEquals(Optional.empty(), members.roleOf("team", "bob", List.of(ops)));
    }

    @Test
    void mistakes_getClearRefusals() {
        members.addUser("team", "alice", Role.DEVELOPER);

        assertFailure(ErrorCode.CONFLICT, () -> members.addUser("team", "alice", Role.GUEST));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> members.addUser("nowhere", "alice", Role.GUEST));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> members.addUser("team", "ghost", Role.GUEST));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> members.changeRole("team", "bob", Role.GUEST));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> members.remove("team", "bob"));
        assertFailure(ErrorCode.INVALID_INPUT, () -> members.addGroup("team", " ", Role.GUEST));
        members.addGroup("team", "readers", Role.GUEST);
        assertFailure(ErrorCode.CONFLICT, () -> members.addGroup("team", "readers", Role.DEVELOPER));
    }

    private static void assertFailure(ErrorCode code, Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }
}
