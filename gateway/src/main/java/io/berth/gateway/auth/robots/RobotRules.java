package io.berth.gateway.auth.robots;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Principal;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.ProjectDao;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** What a robot account may be: its name, description, expiry and permissions, each refused with a clear 4xx. */
final class RobotRules {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private RobotRules() {
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("'" + name + "' is not a valid robot name: use 1 to 64 lower-case letters, digits, '.', '_'"
                    + " or '-', starting with a letter or digit");
        }
    }

    static void checkDescription(String description) {
        if (description != null && description.length() > Robots.MAX_DESCRIPTION) {
            throw invalid("a robot's description may have at most " + Robots.MAX_DESCRIPTION + " characters");
        }
    }

    /** When a robot given {@code days} at {@code now} expires: null (never) for null or -1. */
    static Instant expiry(Integer days, Instant now) {
        if (days == null || days == -1) {
            return null;
        }
        if (days < 1 || days > Robots.MAX_EXPIRY_DAYS) {
            throw invalid("expiresInDays must be 1 to " + Robots.MAX_EXPIRY_DAYS + ", or -1 for never: " + days);
        }
        return now.plus(Duration.ofDays(days));
    }

    /** Some of pull, push and delete in each project; a project robot's in its own project only. */
    static void checkPermissions(String project, Map<String, Set<Action>> permissions) {
        if (permissions.isEmpty()) {
            throw invalid("give the robot at least one permission: pull, push or delete in a project");
        }
        permissions.forEach((p, actions) -> {
            if (actions.isEmpty() || actions.contains(Action.CATALOG)) {
                throw invalid("a robot's actions in '" + p + "' must be some of pull, push and delete");
            }
            if (project != null && !project.equals(p)) {
                throw invalid("a robot of project '" + project + "' may only be given permissions in it, not in '"
                        + p + "': create a system robot for several projects");
            }
        });
    }

    /** The projects the permissions name exist ({@code *} aside); NO_SUCH_RESOURCE names one that does not. */
    static void checkProjectsExist(ProjectDao projects, Map<String, Set<Action>> permissions) {
        for (String p : permissions.keySet()) {
            if (!p.equals(Principal.ALL_PROJECTS) && projects.findId(p).isEmpty()) {
                throw noProject(p);
            }
        }
    }

    static RegistryException noProject(String project) {
        return new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no project named '" + project + "'");
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }
}
