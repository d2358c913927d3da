package io.berth.gateway.auth.members;

import io.berth.gateway.auth.ChangeTrail;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.projects.ProxyProjects;
import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.proxy.ProxySettings;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who belongs to which project with which role: users, and directory groups whose members hold
 * the group's role. A user in several (directly and through groups) holds the highest of their
 * roles, as in Harbor. Methods block on the database.
 */
public final class Members {
    private final Transactions tx;
    private final Clock clock;
    private final ChangeTrail trail;

    /** Changes are audited as Berth's own until {@link #as} names who makes them. */
    public Members(Transactions tx, Clock clock) {
        this(tx, clock, ChangeTrail.system(clock));
    }

    private Members(Transactions tx, Clock clock, ChangeTrail trail) {
        this.tx = tx;
        this.clock = clock;
        this.trail = trail;
    }

    /** These members, with the changes made through them audited as {@code actor}'s. */
    public Members as(Caller actor) {
        return new Members(tx, clock, trail.by(actor));
    }

    /** Adds a user to a project; both must exist, and the user must not be a member already. */
    public Member addUser(String project, String username, Role role) {
        return tx.inTransaction(h -> {
            MemberDao dao = h.attach(MemberDao.class);
            long projectId = projectId(h, project);
            long accountId = dao.accountId(username).orElseThrow(() -> new RegistryException(
                    ErrorCode.NO_SUCH_RESOURCE, "there is no user named '" + username + "'"));
            if (dao.ofUser(projectId, username).isPresent()) {
                throw new RegistryException(ErrorCode.CONFLICT, "'" + username + "' is a member of '" + project
                        + "' already: change their role instead");
            }
            dao.insert(projectId, accountId, null, role.wireName(), clock.instant());
            trail.record(h, "create", "member", username, project, role.wireName());
            return member(dao.ofUser(projectId, username).orElseThrow());
        });
    }

    /**
     * Creates a project for the push of a user who may create projects, making them its project
     * admin, as Harbor does; nothing when the project exists by now. Returns whether it created it.
     */
    public boolean createProjectFor(String project, String username) {
        return tx.inTransaction(h -> {
            MemberDao dao = h.attach(MemberDao.class);
            if (h.attach(ProjectDao.class).findId(project).isPresent()) {
                return false;
            }
            h.attach(ProjectDao.class).createIfAbsent(project, clock.instant());
            long accountId = dao.accountId(username).orElseThrow(() -> new RegistryException(
                    ErrorCode.NO_SUCH_RESOURCE, "there is no user named '" + username + "'"));
            dao.insert(projectId(h, project), accountId, null, Role.PROJECT_ADMIN.wireName(), clock.instant());
            trail.by(new Caller(username, Caller.Kind.USER, null)).record(h, "create", "project", project, project,
                    "by a push into it; " + username + " is its project admin");
            return true;
        });
    }

    /**
     * Creates a project an administrator or user asked for, with {@code username} as its project
     * admin, in one transaction: NAME_INVALID for a bad name, CONFLICT when it exists.
     */
    public void createProject(String project, boolean isPublic, String username) {
        createProject(project, isPublic, username, null);
    }

    /**
     * As {@link #createProject(String, boolean, String)}, a proxy project of a registry endpoint when
     * {@code proxy} is given (see {@link ProxyProjects#attach}), all in one transaction.
     */
    public void createProject(String project, boolean isPublic, String username, ProxySettings proxy) {
        tx.useTransaction(h -> {
            MemberDao dao = h.attach(MemberDao.class);
            long accountId = dao.accountId(username).orElseThrow(() -> new RegistryException(
                    ErrorCode.NO_SUCH_RESOURCE, "there is no user named '" + username + "'"));
            long projectId = h.attach(ProjectDao.class).create(project, isPublic, clock.instant());
            if (proxy != null) {
                ProxyProjects.attach(h, projectId, proxy);
            }
            dao.insert(projectId, accountId, null, Role.PROJECT_ADMIN.wireName(), clock.instant());
            trail.record(h, "create", "project", project, project, (isPublic ? "public" : "private") + "; "
                    + (proxy == null ? "" : ProxyProjects.describe(proxy) + "; ") + username + " is its project admin");
        });
    }

    /** Adds a directory group (its DN or name) to a project. */
    public Member addGroup(String project, String group, Role role) {
        if (group == null || group.isBlank() || group.length() > 1024) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "name the group by its DN or name (1 to 1024 characters)");
        }
        return tx.inTransaction(h -> {
            MemberDao dao = h.attach(MemberDao.class);
            long projectId = projectId(h, project);
            if (dao.ofGroup(projectId, group).isPresent()) {
                throw new RegistryException(ErrorCode.CONFLICT, "the group '" + group + "' is a member of '" + project
                        + "' already: change its role instead");
            }
            dao.insert(projectId, null, group, role.wireName(), clock.instant());
            trail.record(h, "create", "member", group, project, "group; " + role.wireName());
            return member(dao.ofGroup(projectId, group).orElseThrow());
        });
    }

    /** A page of a project's members, and how many it has. */
    public Listing list(String project, int page, int pageSize) {
        return tx.withHandle(h -> {
            MemberDao dao = h.attach(MemberDao.class);
            long projectId = projectId(h, project);
            return new Listing(dao.list(projectId, pageSize, (long) (page - 1) * pageSize).stream()
                    .map(Members::member).toList(), dao.count(projectId));
        });
    }

    /** Changes the role of a member: a user of this name, or else a group (user names never look like DNs). */
    public Member changeRole(String project, String member, Role role) {
        return tx.inTransaction(h -> {
            MemberDao dao = h.attach(MemberDao.class);
            MemberDao.MemberRow row = member(h, project, member);
            dao.setRole(row.id(), role.wireName());
            trail.record(h, "update", "member", member, project, role.wireName());
            return new Member(row.id(), row.username(), row.groupName(), role);
        });
    }

    /** Removes a member from a project: a user of this name, or else a group. */
    public void remove(String project, String member) {
        tx.useTransaction(h -> {
            h.attach(MemberDao.class).delete(member(h, project, member).id());
            trail.record(h, "delete", "member", member, project, null);
        });
    }

    /**
     * The highest role a user holds in a project, directly or through one of {@code groups} (their
     * directory groups, resolved at sign-in: DNs and names, which match a group member whatever
     * their case); empty when none.
     */
    public Optional<Role> roleOf(String project, String username, Collection<String> groups) {
        List<String> lowered = groups.stream().map(g -> g.toLowerCase(Locale.ROOT)).distinct().toList();
        List<String> roles = tx.withHandle(h -> h.attach(MemberDao.class).roles(project, username, lowered));
        return roles.stream().map(Role::parse).max(Enum::compareTo);
    }

    /**
     * Every project a user belongs to, directly or through one of {@code groups}, with the highest
     * role they hold there.
     */
    public List<Membership> memberships(String username, Collection<String> groups) {
        Map<Long, Membership> highest = new HashMap<>();
        for (MemberDao.MembershipRow row : tx.withHandle(h -> h.attach(MemberDao.class).memberships(username, groups))) {
            Membership m = new Membership(row.projectId(), row.project(), row.isPublic(), Role.parse(row.role()));
            highest.merge(m.projectId(), m, (a, b) -> a.role().compareTo(b.role()) >= 0 ? a : b);
        }
        return List.copyOf(highest.values());
    }

    private static MemberDao.MemberRow member(Handle h, String project, String name) {
        MemberDao dao = h.attach(MemberDao.class);
        long projectId = projectId(h, project);
        return dao.ofUser(projectId, name).or(() -> dao.ofGroup(projectId, name)).orElseThrow(() ->
                new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "'" + name + "' is not a member of '" + project + "'"));
    }

    private static long projectId(Handle h, String project) {
        return h.attach(ProjectDao.class).findId(project).orElseThrow(() -> new RegistryException(ErrorCode.NO_SUCH_RESOURCE,
                "there is no project named '" + project + "'"));
    }

    private static Member member(MemberDao.MemberRow row) {
        return new Member(row.id(), row.username(), row.groupName(), Role.parse(row.role()));
    }

    /**
     * A user's membership of a project.
     *
     * @param isPublic whether the project is public
     * @param role     the highest role they hold in it
     */
    public record Membership(long projectId, String project, boolean isPublic, Role role) {
    }

    /** One page of members and the total. */
    public record Listing(List<Member> members, long total) {
    }
}
