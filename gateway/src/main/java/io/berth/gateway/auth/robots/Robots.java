package io.berth.gateway.auth.robots;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.ChangeTrail;
import io.berth.gateway.auth.Principal;
import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Robot accounts: least-privilege credentials for CI and Kubernetes. A project robot
 * ({@code robot$<project>+<name>}) may be given pull, push and delete in its own project only; a
 * system robot ({@code robot$<name>}) in any projects it lists, or in every project ({@code *}).
 * The secret is returned once, at creation or rotation, and kept only as a hash. Methods block on
 * the database.
 */
public final class Robots {
    public static final String PREFIX = "robot$";
    /** The longest expiry a robot may be given, in days: ten years. */
    public static final int MAX_EXPIRY_DAYS = 3650;
    /** The longest description a robot may have, in characters. */
    public static final int MAX_DESCRIPTION = 1024;

    private final Transactions tx;
    private final Clock clock;
    private final ChangeTrail trail;

    /** Changes are audited as Berth's own until {@link #as} names who makes them. */
    public Robots(Transactions tx, Clock clock) {
        this(tx, clock, ChangeTrail.system(clock));
    }

    private Robots(Transactions tx, Clock clock, ChangeTrail trail) {
        this.tx = tx;
        this.clock = clock;
        this.trail = trail;
    }

    /** These robots, with the changes made through them audited as {@code actor}'s. */
    public Robots as(Caller actor) {
        return new Robots(tx, clock, trail.by(actor));
    }

    /**
     * Creates a robot and returns it with its secret, which is never shown again.
     *
     * @param project       the project it belongs to, or null for a system robot
     * @param expiresInDays days until it expires, or null / -1 for never
     * @param permissions   registry actions per project name
     */
    public Created create(String name, String project, String description, Integer expiresInDays,
                          Map<String, Set<Action>> permissions) {
        RobotRules.checkName(name);
        String fullName = PREFIX + (project == null ? name : project + "+" + name);
        Instant expiresAt = RobotRules.expiry(expiresInDays, clock.instant());
        RobotRules.checkDescription(description);
        RobotRules.checkPermissions(project, permissions);
        String secret = RobotSecrets.generate();
        long id = tx.inTransaction(h -> {
            RobotDao dao = h.attach(RobotDao.class);
            ProjectDao projects = h.attach(ProjectDao.class);
            Long projectId = project == null ? null
                    : projects.findId(project).orElseThrow(() -> RobotRules.noProject(project));
            RobotRules.checkProjectsExist(projects, permissions);
            if (dao.byName(fullName).isPresent()) {
                throw new RegistryException(ErrorCode.CONFLICT, "a robot named '" + fullName + "' exists already");
            }
            long robotId = dao.insert(fullName, projectId, description, RobotSecrets.hash(secret), expiresAt,
                    clock.instant());
            permit(dao, robotId, permissions);
            trail.record(h, "create", "robot", fullName, project, describe(permissions));
            return robotId;
        });
        return new Created(get(id), secret);
    }

    /**
     * The robot these credentials are, as a principal with its permissions; empty when the name or
     * secret is wrong, or the robot is disabled or expired.
     */
    public Optional<Principal.Robot> authenticate(String name, String secret) {
        return tx.withHandle(h -> {
            RobotDao dao = h.attach(RobotDao.class);
            Optional<RobotDao.RobotRow> row = dao.byName(name);
            // Compared even for an unknown name (against nothing), so both cost the same.
            return RobotSecrets.matches(secret, row.map(RobotDao.RobotRow::secretHash).orElse(null))
                    ? row.map(r -> robot(dao, r)) : Optional.<Robot>empty();
        }).flatMap(this::usable);
    }

    /**
     * The robot of this name as a principal, without its secret (for a refresh token it was given);
     * empty when it is gone, disabled or expired.
     */
    public Optional<Principal.Robot> principal(String name) {
        return tx.withHandle(h -> {
            RobotDao dao = h.attach(RobotDao.class);
            return dao.byName(name).map(row -> robot(dao, row));
        }).flatMap(this::usable);
    }

    private Optional<Principal.Robot> usable(Robot robot) {
        if (!robot.usableAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new Principal.Robot(robot.name(), robot.permissions()));
    }

    public Robot get(long id) {
        return tx.withHandle(h -> {
            RobotDao dao = h.attach(RobotDao.class);
            return dao.byId(id).map(row -> robot(dao, row)).orElseThrow(() -> new RegistryException(
                    ErrorCode.NO_SUCH_RESOURCE, "there is no robot with id " + id));
        });
    }

    /** A page of robots by name (of one project, or all when {@code project} is null), and the total. */
    public Listing list(String project, int page, int pageSize) {
        long offset = (long) (page - 1) * pageSize;
        return tx.withHandle(h -> {
            RobotDao dao = h.attach(RobotDao.class);
            List<RobotDao.RobotRow> rows = project == null ? dao.list(pageSize, offset)
                    : dao.listOf(project, pageSize, offset);
            return new Listing(rows.stream().map(row -> robot(dao, row)).toList(),
                    project == null ? dao.count() : dao.countOf(project));
        });
    }

    /** Gives the robot a new secret, returned once; the old one stops working at once. */
    public Created rotate(long id) {
        String secret = RobotSecrets.generate();
        change(id, "update", "secret rotated", dao -> dao.setSecretHash(id, RobotSecrets.hash(secret),
                clock.instant()));
        return new Created(get(id), secret);
    }

    /**
     * Changes a robot in one transaction: each of its description, disabled flag and permissions
     * when given (not null). Permissions follow the rules of creation (a project robot's only in its
     * project; the projects named must exist) and replace the old ones; tokens it holds keep their
     * access until they expire. A refusal changes nothing.
     */
    public Robot update(long id, String description, Boolean disabled, Map<String, Set<Action>> permissions) {
        Robot robot = get(id);
        RobotRules.checkDescription(description);
        if (permissions != null) {
            RobotRules.checkPermissions(robot.project(), permissions);
        }
        tx.useTransaction(h -> {
            RobotDao dao = h.attach(RobotDao.class);
            Instant now = clock.instant();
            updated(id, dao.touch(id, now));
            if (description != null) {
                dao.setDescription(id, description, now);
            }
            if (disabled != null) {
                dao.setDisabled(id, disabled, now);
            }
            if (permissions != null) {
                RobotRules.checkProjectsExist(h.attach(ProjectDao.class), permissions);
                dao.forgetPermissions(id);
                permit(dao, id, permissions);
            }
            trail.record(h, "update", "robot", robot.name(), robot.project(), (disabled == null ? ""
                    : disabled ? "disabled; " : "enabled; ") + (permissions == null ? "" : describe(permissions)));
        });
        return get(id);
    }

    public void setDisabled(long id, boolean disabled) {
        change(id, "update", disabled ? "disabled" : "enabled", dao -> dao.setDisabled(id, disabled, clock.instant()));
    }

    public void delete(long id) {
        change(id, "delete", null, dao -> dao.delete(id));
    }

    /** Changes one robot in a transaction with its audit line; NO_SUCH_RESOURCE when there is no such robot. */
    private void change(long id, String action, String detail, ToIntFunction<RobotDao> update) {
        tx.useTransaction(h -> {
            RobotDao dao = h.attach(RobotDao.class);
            RobotDao.RobotRow row = dao.byId(id).orElse(null);
            updated(id, row == null ? 0 : update.applyAsInt(dao));
            trail.record(h, action, "robot", row.name(), row.project(), detail);
        });
    }

    /** Permissions as the audit log writes them: {@code team:pull,push other:pull}. */
    private static String describe(Map<String, Set<Action>> permissions) {
        return permissions.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().stream().map(Action::token)
                .sorted().collect(Collectors.joining(","))).sorted().collect(Collectors.joining(" "));
    }

    private static void permit(RobotDao dao, long robotId, Map<String, Set<Action>> permissions) {
        permissions.forEach((p, actions) -> dao.permit(robotId, p, actions.stream().map(Action::token)
                .sorted().collect(Collectors.joining(","))));
    }

    private static Robot robot(RobotDao dao, RobotDao.RobotRow row) {
        Map<String, Set<Action>> permissions = new LinkedHashMap<>();
        for (RobotDao.PermissionRow p : dao.permissions(row.id())) {
            Set<Action> actions = EnumSet.noneOf(Action.class);
            for (String token : p.actions().split(",")) {
                Action.of(token).ifPresent(actions::add);
            }
            permissions.put(p.project(), actions);
        }
        return new Robot(row.id(), row.name(), row.project(), row.description(), row.expiresAt(), row.disabled(),
                permissions, row.createdAt());
    }

    private static void updated(long id, int rows) {
        if (rows == 0) {
            throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no robot with id " + id);
        }
    }

    /** A robot with the secret it was just given: the only time the secret is seen. */
    public record Created(Robot robot, String secret) {
    }

    /** One page of robots and the total. */
    public record Listing(List<Robot> robots, long total) {
    }
}
