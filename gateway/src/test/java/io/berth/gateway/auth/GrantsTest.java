package io.berth.gateway.auth;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static io.berth.gateway.auth.Permission.DELETE;
import static io.berth.gateway.auth.Permission.DELETE_PROJECT;
import static io.berth.gateway.auth.Permission.LIST_ARTIFACTS;
import static io.berth.gateway.auth.Permission.LIST_MEMBERS;
import static io.berth.gateway.auth.Permission.LIST_REPOSITORIES;
import static io.berth.gateway.auth.Permission.LIST_ROBOTS;
import static io.berth.gateway.auth.Permission.MANAGE_MEMBERS;
import static io.berth.gateway.auth.Permission.MANAGE_ROBOTS;
import static io.berth.gateway.auth.Permission.PULL;
import static io.berth.gateway.auth.Permission.PUSH;
import static io.berth.gateway.auth.Permission.READ_LOGS;
import static io.berth.gateway.auth.Permission.UPDATE_PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The role table of the README, cell by cell, and who else holds what. */
class GrantsTest {
    private static final Principal ALICE = new Principal.User("alice", false);
    private static final Principal ADMIN = new Principal.User("admin", true);
    private static final Principal ANONYMOUS = new Principal.Anonymous();

    /** The README's table: each role and everything it may do in its project. */
    private static final Map<Role, Set<Permission>> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put(Role.LIMITED_GUEST, EnumSet.of(PULL, LIST_REPOSITORIES, LIST_ARTIFACTS));
        TABLE.put(Role.GUEST, EnumSet.of(PULL, LIST_REPOSITORIES, LIST_ARTIFACTS, LIST_MEMBERS, READ_LOGS));
        TABLE.put(Role.DEVELOPER, EnumSet.of(PULL, LIST_REPOSITORIES, LIST_ARTIFACTS, LIST_MEMBERS, READ_LOGS, PUSH));
        TABLE.put(Role.MAINTAINER, EnumSet.of(PULL, LIST_REPOSITORIES, LIST_ARTIFACTS, LIST_MEMBERS, READ_LOGS, PUSH,
                DELETE, LIST_ROBOTS));
        TABLE.put(Role.PROJECT_ADMIN, EnumSet.allOf(Permission.class));
    }

    @Test
    void eachRole_holdsExactlyItsRowOfTheTable_inAPrivateProject() {
        assertEquals(Set.of(Role.values()), TABLE.keySet());
        TABLE.forEach((role, row) -> assertEquals(row, Grants.inProject(ALICE, "team", false, role), role.wireName()));
    }

    @Test
    void projectAdmin_mayManageTheProject_andAMaintainerMayNot() {
        Set<Permission> admin = Grants.inProject(ALICE, "team", false, Role.PROJECT_ADMIN);
        Set<Permission> maintainer = Grants.inProject(ALICE, "team", false, Role.MAINTAINER);
        for (Permission p : EnumSet.of(MANAGE_MEMBERS, MANAGE_ROBOTS, UPDATE_PROJECT, DELETE_PROJECT)) {
            assertTrue(admin.contains(p), p.name());
            assertFalse(maintainer.contains(p), p.name());
        }
    }

    @Test
    void nonMembers_andAnonymous_mayOnlyReadPublicProjects() {
        Set<Permission> read = EnumSet.of(PULL, LIST_REPOSITORIES, LIST_ARTIFACTS);
        assertEquals(read, Grants.inProject(ANONYMOUS, "library", true, null));
        assertEquals(read, Grants.inProject(ALICE, "library", true, null));
        assertEquals(Set.of(), Grants.inProject(ANONYMOUS, "team", false, null));
        assertEquals(Set.of(), Grants.inProject(ALICE, "team", false, null));
    }

    @Test
    void aSystemAdmin_mayDoEverything_everywhere() {
        assertEquals(EnumSet.allOf(Permission.class), Grants.inProject(ADMIN, "team", false, null));
        assertTrue(Grants.mayReadEverything(ADMIN));
        assertFalse(Grants.mayReadEverything(ALICE));
        assertFalse(Grants.mayReadEverything(ANONYMOUS));
    }

    @Test
    void everyone_mayListTheCatalog_whichShowsWhatTheyMayRead() {
        assertTrue(Grants.mayListCatalog(ADMIN));
        assertTrue(Grants.mayListCatalog(ALICE));
        assertTrue(Grants.mayListCatalog(ANONYMOUS));
        assertTrue(Grants.mayRead(Grants.inProject(ALICE, "team", false, Role.LIMITED_GUEST)),
                "every role may read its project");
        assertFalse(Grants.mayRead(Grants.inProject(ALICE, "team", false, null)));
    }

    @Test
    void aRobot_holdsExactlyTheActionsItWasGiven_inItsProjects() {
        Principal robot = new Principal.Robot("robot$team+ci", Map.of("team", EnumSet.of(Action.PULL, Action.PUSH)));

        assertEquals(EnumSet.of(PULL, LIST_REPOSITORIES, LIST_ARTIFACTS, PUSH), Grants.inProject(robot, "team", false, null));
        assertEquals(Set.of(), Grants.inProject(robot, "other", false, null));
        assertEquals(EnumSet.of(PULL, LIST_REPOSITORIES, LIST_ARTIFACTS), Grants.inProject(robot, "library", true, null));
    }

    @Test
    void aSystemRobot_forAllProjects_holdsItsActionsInEach() {
        Principal robot = new Principal.Robot("robot$mirror", Map.of(Principal.ALL_PROJECTS, EnumSet.of(Action.PULL),
                "team", EnumSet.of(Action.DELETE)));

        assertEquals(EnumSet.of(PULL, LIST_REPOSITORIES, LIST_ARTIFACTS), Grants.inProject(robot, "any", false, null));
        assertEquals(EnumSet.of(PULL, LIST_REPOSITORIES, LIST_ARTIFACTS, DELETE),
                Grants.inProject(robot, "team", false, null));
        assertTrue(Grants.mayReadEverything(robot));
        assertFalse(Grants.mayReadEverything(new Principal.Robot("robot$pusher", Map.of(Principal.ALL_PROJECTS,
                EnumSet.of(Action.PUSH)))));
        assertFalse(Grants.mayReadEverything(new Principal.Robot("robot$team+ci", Map.of("team",
                EnumSet.of(Action.PULL)))));
    }

    @Test
    void registryActions_areTheIntersectionOfWhatWasAskedAndWhatIsHeld() {
        Set<Permission> guest = Grants.inProject(ALICE, "team", false, Role.GUEST);
        Set<Permission> developer = Grants.inProject(ALICE, "team", false, Role.DEVELOPER);

        assertEquals(EnumSet.of(Action.PULL), Grants.registryActions(EnumSet.of(Action.PULL, Action.PUSH), guest));
        assertEquals(EnumSet.of(Action.PULL, Action.PUSH),
                Grants.registryActions(EnumSet.of(Action.PULL, Action.PUSH), developer));
        assertEquals(EnumSet.of(Action.PULL), Grants.registryActions(EnumSet.of(Action.PULL), developer),
                "never more than was asked");
        assertEquals(Set.of(), Grants.registryActions(EnumSet.of(Action.DELETE), developer));
        assertEquals(Set.of(), Grants.registryActions(EnumSet.of(Action.CATALOG), Grants.inProject(ADMIN, "t", false,
                null)), "the catalog is decided by mayListCatalog, not by a project's permissions");
    }

    @Test
    void projectCreation_isForUsers_andForAdminsOnlyWhenSoSet() {
        Principal robot = new Principal.Robot("robot$ci", Map.of(Principal.ALL_PROJECTS, EnumSet.allOf(Action.class)));

        assertTrue(Grants.mayCreateProjects(ALICE, Grants.ProjectCreation.EVERYONE));
        assertFalse(Grants.mayCreateProjects(ALICE, Grants.ProjectCreation.ADMIN_ONLY));
        assertTrue(Grants.mayCreateProjects(ADMIN, Grants.ProjectCreation.ADMIN_ONLY));
        assertFalse(Grants.mayCreateProjects(ANONYMOUS, Grants.ProjectCreation.EVERYONE));
        assertFalse(Grants.mayCreateProjects(robot, Grants.ProjectCreation.EVERYONE));
    }

    @Test
    void accounts_areManagedBySystemAdmins_andEachUserManagesTheirOwn() {
        Principal robot = new Principal.Robot("robot$ci", Map.of(Principal.ALL_PROJECTS, EnumSet.allOf(Action.class)));

        assertTrue(Grants.mayManageUsers(ADMIN));
        for (Principal other : new Principal[] {ALICE, ANONYMOUS, robot}) {
            assertFalse(Grants.mayManageUsers(other), other.toString());
            assertFalse(Grants.mayManageSystemRobots(other), other.toString());
        }
        assertTrue(Grants.mayManageSystemRobots(ADMIN));
        assertTrue(Grants.mayManageAccount(ALICE, "alice"));
        assertFalse(Grants.mayManageAccount(ALICE, "bob"));
        assertTrue(Grants.mayManageAccount(ADMIN, "bob"));
        assertFalse(Grants.mayManageAccount(ANONYMOUS, ""));
        assertFalse(Grants.mayManageAccount(robot, "robot$ci"));
    }

    @Test
    void registryEndpoints_areManagedBySystemAdminsOnly_evenRobotsWithEveryAction() {
        Principal robot = new Principal.Robot("robot$ci", Map.of(Principal.ALL_PROJECTS, EnumSet.allOf(Action.class)));

        assertTrue(Grants.mayManageRegistries(ADMIN));
        for (Principal other : new Principal[] {ALICE, ANONYMOUS, robot}) {
            assertFalse(Grants.mayManageRegistries(other), other.toString());
        }
    }

    @Test
    void replicationPolicies_areManagedBySystemAdminsOnly_evenRobotsWithEveryAction() {
        Principal robot = new Principal.Robot("robot$ci", Map.of(Principal.ALL_PROJECTS, EnumSet.allOf(Action.class)));

        assertTrue(Grants.mayManageReplication(ADMIN));
        for (Principal other : new Principal[] {ALICE, ANONYMOUS, robot}) {
            assertFalse(Grants.mayManageReplication(other), other.toString());
        }
    }

    @Test
    void theOldPassword_isNeededExceptByAnAdminForSomeoneElse() {
        assertTrue(Grants.passwordChangeNeedsOldPassword(ALICE, "alice"));
        assertTrue(Grants.passwordChangeNeedsOldPassword(ADMIN, "admin"));
        assertFalse(Grants.passwordChangeNeedsOldPassword(ADMIN, "alice"));
    }

    @Test
    void registering_isForAdmins_orForEveryoneButRobotsWhenSelfRegistrationIsOn() {
        Principal robot = new Principal.Robot("robot$ci", Map.of());

        assertTrue(Grants.mayRegister(ADMIN, false));
        assertFalse(Grants.mayRegister(ALICE, false));
        assertFalse(Grants.mayRegister(ANONYMOUS, false));
        assertTrue(Grants.mayRegister(ANONYMOUS, true));
        assertTrue(Grants.mayRegister(ALICE, true));
        assertFalse(Grants.mayRegister(robot, true));
    }

    @Test
    void listedProjects_areThoseWhereACallerHoldsSomething() {
        assertEquals(ProjectVisibility.everything(), Grants.visibleProjects(ADMIN));
        assertEquals(new ProjectVisibility(false, "alice", Set.of()), Grants.visibleProjects(ALICE));
        assertEquals(new ProjectVisibility(false, null, Set.of()), Grants.visibleProjects(ANONYMOUS));
        assertEquals(new ProjectVisibility(false, null, Set.of("team")), Grants.visibleProjects(
                new Principal.Robot("robot$x", Map.of("team", EnumSet.of(Action.PUSH), "gone", Set.of()))));
        assertEquals(ProjectVisibility.everything(), Grants.visibleProjects(
                new Principal.Robot("robot$y", Map.of(Principal.ALL_PROJECTS, EnumSet.of(Action.PULL)))));
        assertTrue(Grants.maySee(Grants.inProject(ANONYMOUS, "library", true, null)));
        assertFalse(Grants.maySee(Grants.inProject(ALICE, "team", false, null)));
        assertTrue(Grants.maySee(Grants.inProject(ALICE, "team", false, Role.LIMITED_GUEST)));
    }

    @Test
    void roles_readTheirWireNames_andAnUnknownNameSaysWhichThereAre() {
        for (Role role : Role.values()) {
            assertEquals(role, Role.parse(role.wireName()));
        }
        RegistryException e = assertThrows(RegistryException.class, () -> Role.parse("owner"));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().contains("limitedGuest, guest, developer, maintainer, projectAdmin"), e.getMessage());
    }
}
