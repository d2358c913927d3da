package io.berth.gateway.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place that decides what a caller may do. Everything else (the token service, the
 * gateway's access check, the admin API) asks here, with what it looked up: whether the project is
 * public, and the caller's role in it.
 *
 * <ul>
 * <li>a system admin may do everything, in every project;</li>
 * <li>a member holds their {@link Role}'s permissions;</li>
 * <li>a robot holds exactly the actions it was given (pull also lists repositories and artifacts);</li>
 * <li>anyone, signed in or not, may read a public project: pull and list;</li>
 * <li>anyone may list the catalog, which shows the repositories of the projects they may pull from;</li>
 * <li>nothing else is allowed.</li>
 * </ul>
 *
 * <p>Outside projects (the admin API's accounts): system admins manage users and system robots,
 * proxy projects' upstreams, read the whole audit log, check the directory's settings and manage
 * registry endpoints;
 * a user may read and change their own account (e-mail, password with the old one), and, when
 * self-registration is on, anyone but a robot may create an account that is not an admin's.
 */
public final class Grants {
    private static final Set<Permission> READ = Collections.unmodifiableSet(
            EnumSet.of(Permission.PULL, Permission.LIST_REPOSITORIES, Permission.LIST_ARTIFACTS));
    private static final Set<Permission> ALL = Collections.unmodifiableSet(EnumSet.allOf(Permission.class));

    private Grants() {
    }

    /**
     * What {@code who} may do in a project.
     *
     * @param isPublic whether the project is public
     * @param role     the caller's role in it (a user's, directly or through a group), or null
     */
    public static Set<Permission> inProject(Principal who, String project, boolean isPublic, Role role) {
        if (who instanceof Principal.User user && user.sysadmin()) {
            return ALL;
        }
        EnumSet<Permission> held = EnumSet.noneOf(Permission.class);
        if (isPublic) {
            held.addAll(READ);
        }
        switch (who) {
            case Principal.User user when role != null -> held.addAll(role.permissions());
            case Principal.Robot robot -> robot.actionsIn(project).forEach(a -> held.addAll(givenBy(a)));
            default -> {
            }
        }
        return Collections.unmodifiableSet(held);
    }

    /**
     * The registry actions to grant out of those asked for: only those the held permissions allow
     * (the intersection; never more than was asked, unlike Harbor).
     */
    public static Set<Action> registryActions(Set<Action> asked, Set<Permission> held) {
        EnumSet<Action> granted = EnumSet.noneOf(Action.class);
        for (Action action : asked) {
            if (action != Action.CATALOG && held.contains(neededFor(action))) {
                granted.add(action);
            }
        }
        return granted;
    }

    /**
     * Whether {@code who} may pull from every project, so that a mount may link from and the catalog
     * list any repository: system admins, and system robots given pull in every project.
     */
    public static boolean mayReadEverything(Principal who) {
        return switch (who) {
            case Principal.User user -> user.sysadmin();
            case Principal.Robot robot -> robot.actions().getOrDefault(Principal.ALL_PROJECTS, Set.of())
                    .contains(Action.PULL);
            case Principal.Anonymous anonymous -> false;
        };
    }

    /** Whether {@code who} may list the catalog ({@code registry:catalog:*}): anyone, who sees what they may read. */
    public static boolean mayListCatalog(Principal who) {
        return true;
    }

    /** Whether the permissions held in a project let their holder read its content. */
    public static boolean mayRead(Set<Permission> held) {
        return held.contains(Permission.PULL);
    }

    /**
     * Whether {@code who} may create projects (directly, or by a push into a project that does not
     * exist yet): never anonymous callers or robots; users when creation is open to everyone;
     * system admins always.
     */
    public static boolean mayCreateProjects(Principal who, ProjectCreation setting) {
        if (!(who instanceof Principal.User user)) {
            return false;
        }
        return user.sysadmin() || setting == ProjectCreation.EVERYONE;
    }

    /**
     * Whether {@code who} may create proxy projects and change what one mirrors: system admins only,
     * as in Harbor. A proxy project reaches its upstream with its registry endpoint's credentials,
     * on behalf of whoever may pull from it.
     */
    public static boolean mayManageProxies(Principal who) {
        return isSysadmin(who);
    }

    /** Whether a caller holding {@code held} in a project may see it at all (its page and its listing entry). */
    public static boolean maySee(Set<Permission> held) {
        return !held.isEmpty();
    }

    /**
     * Which projects {@code who} sees in a listing: those where {@link #inProject} would grant
     * anything, that is every project for a system admin or a robot given actions in all
     * projects; otherwise public ones, the user's own, and those a robot was given actions in.
     */
    public static ProjectVisibility visibleProjects(Principal who) {
        return switch (who) {
            case Principal.User user when user.sysadmin() -> ProjectVisibility.everything();
            case Principal.User user -> new ProjectVisibility(false, user.name(), Set.of());
            case Principal.Robot robot when !robot.actionsIn(Principal.ALL_PROJECTS).isEmpty() ->
                    ProjectVisibility.everything();
            case Principal.Robot robot -> new ProjectVisibility(false, null, robot.actions().entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                    .collect(Collectors.toUnmodifiableSet()));
            case Principal.Anonymous anonymous -> new ProjectVisibility(false, null, Set.of());
        };
    }

    /** Whether {@code who} may list, create, delete and make admins of users: system admins only. */
    public static boolean mayManageUsers(Principal who) {
        return isSysadmin(who);
    }

    /**
     * Whether {@code who} may create a (non-admin) account through the admin API: system admins
     * always; with self-registration on, anyone, signed in or not, except robots.
     */
    public static boolean mayRegister(Principal who, boolean selfRegistration) {
        return isSysadmin(who) || selfRegistration && !(who instanceof Principal.Robot);
    }

    /** Whether {@code who} may read and change the account {@code username} (e-mail, password): its user and system admins. */
    public static boolean mayManageAccount(Principal who, String username) {
        return isSysadmin(who) || isUser(who, username);
    }

    /**
     * Whether changing the password of {@code username} needs the old one: always, except for a
     * system admin changing someone else's (a forgotten password); an admin's own needs it too,
     * so that a stolen session cannot lock its owner out.
     */
    public static boolean passwordChangeNeedsOldPassword(Principal who, String username) {
        return !isSysadmin(who) || isUser(who, username);
    }

    /** Whether {@code who} may create, list and change system robots (those of no one project): system admins only. */
    public static boolean mayManageSystemRobots(Principal who) {
        return isSysadmin(who);
    }

    /** Whether {@code who} may read the whole audit log (a project's is {@link Permission#READ_LOGS}): system admins. */
    public static boolean mayReadAuditLog(Principal who) {
        return isSysadmin(who);
    }

    /** Whether {@code who} may check the sign-in directory's settings (LDAP ping): system admins. */
    public static boolean mayCheckDirectory(Principal who) {
        return isSysadmin(who);
    }

    /**
     * Whether {@code who} may list, create, change, delete and ping registry endpoints (the
     * upstreams of proxy projects and replication, with their credentials): system admins.
     */
    public static boolean mayManageRegistries(Principal who) {
        return isSysadmin(who);
    }

    /**
     * Whether {@code who} may list, create, change and delete replication policies (which copy any
     * project's content to and from other registries): system admins.
     */
    public static boolean mayManageReplication(Principal who) {
        return isSysadmin(who);
    }

    private static boolean isSysadmin(Principal who) {
        return who instanceof Principal.User user && user.sysadmin();
    }

    private static boolean isUser(Principal who, String username) {
        return who instanceof Principal.User user && user.name().equals(username);
    }

    /** The permission a registry action on a repository needs. */
    static Permission neededFor(Action action) {
        return switch (action) {
            case PULL -> Permission.PULL;
            case PUSH -> Permission.PUSH;
            case DELETE -> Permission.DELETE;
            case CATALOG -> throw new IllegalArgumentException("the catalog is not in a project");
        };
    }

    /** What a robot given a registry action may do: pull also lists, as a limited guest may. */
    private static Set<Permission> givenBy(Action action) {
        return action == Action.PULL ? READ : EnumSet.of(neededFor(action));
    }

    /** Who may create projects, as Harbor's setting of that name. */
    public enum ProjectCreation {
        EVERYONE("everyone"), ADMIN_ONLY("adminOnly");

        private final String wireName;

        ProjectCreation(String wireName) {
            this.wireName = wireName;
        }

        /** The setting's value in configuration and the admin API: {@code everyone} or {@code adminOnly}. */
        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** The setting named {@code value}; IllegalArgumentException names the two accepted. */
        @JsonCreator
        public static ProjectCreation parse(String value) {
            for (ProjectCreation c : values()) {
                if (c.wireName.equalsIgnoreCase(value) || c.name().equalsIgnoreCase(value)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("project creation must be 'everyone' or 'adminOnly', not '" + value + "'");
        }
    }
}
