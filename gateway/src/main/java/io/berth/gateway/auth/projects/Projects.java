package io.berth.gateway.auth.projects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.gateway.auth.ChangeTrail;
import io.berth.gateway.auth.ProjectVisibility;
import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.ProjectRow;
import io.berth.store.meta.SparseIndexDao;
import io.berth.store.meta.Transactions;
import io.berth.store.proxy.ProxySettings;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Projects as access and the admin API see them: whether they exist, are public, and since when;
 * listings filtered to what a caller may see; creation and deletion. Facts found are remembered
 * for a few seconds, so that the requests of a pull do not each ask the database; changes made
 * here (and those reported through {@link #forget}) are seen at once, those of another instance on
 * the same database within {@link #FRESHNESS}. Methods other than {@link #remembered} block on the
 * database.
 */
public final class Projects {
    /** How long found facts are used without asking the database again. */
    public static final Duration FRESHNESS = Duration.ofSeconds(5);
    /** Names per query: PostgreSQL's driver takes at most 32,767 parameters per statement. */
    private static final int BATCH = 1000;

    private final Transactions tx;
    private final Clock clock;
    private final Cache<String, ProjectFacts> facts;
    private final ChangeTrail trail;

    /** Changes are audited as Berth's own until {@link #as} names who makes them. */
    public Projects(Transactions tx, Clock clock) {
        this(tx, clock, Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(FRESHNESS).build(),
                ChangeTrail.system(clock));
    }

    private Projects(Transactions tx, Clock clock, Cache<String, ProjectFacts> facts, ChangeTrail trail) {
        this.tx = tx;
        this.clock = clock;
        this.facts = facts;
        this.trail = trail;
    }

    /** These projects (what they remember included), with the changes made through them audited as {@code actor}'s. */
    public Projects as(Caller actor) {
        return new Projects(tx, clock, facts, trail.by(actor));
    }

    public Optional<ProjectFacts> find(String name) {
        ProjectFacts known = facts.getIfPresent(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ProjectFacts> found = tx.withHandle(h -> h.attach(ProjectFactsDao.class).find(name));
        found.ifPresent(f -> facts.put(name, f));
        return found;
    }

    /** The facts of a project found recently, without asking the database; empty when none are at hand. */
    public Optional<ProjectFacts> remembered(String name) {
        return Optional.ofNullable(facts.getIfPresent(name));
    }

    /** Drops what is remembered of a project that was created, deleted or changed elsewhere in this process. */
    public void forget(String name) {
        facts.invalidate(name);
    }

    /** The project with its repository count; NO_SUCH_RESOURCE when there is none. */
    public ProjectRow get(String name) {
        return tx.withHandle(h -> h.attach(ProjectDao.class).find(name)).orElseThrow(() -> unknown(name));
    }

    /** A page of the projects {@code visibility} lets a caller see, by name, and how many there are in all. */
    public Listing list(ProjectVisibility visibility, int page, int pageSize) {
        return tx.withHandle(h -> {
            ProjectListDao dao = h.attach(ProjectListDao.class);
            List<ProjectRow> rows = dao.list(visibility.all(), visibility.member(), visibility.named(), pageSize,
                    (long) (page - 1) * pageSize);
            return new Listing(rows, dao.count(visibility.all(), visibility.member(), visibility.named()));
        });
    }

    /**
     * Creates a project without members (when nobody signs in); {@code Members.createProject} makes
     * its creator its admin. NAME_INVALID for a bad name, CONFLICT when it exists.
     */
    public ProjectRow create(String name, boolean isPublic) {
        return create(name, isPublic, null);
    }

    /**
     * Creates a project without members, a proxy project of a registry endpoint when {@code proxy}
     * is given (in the same transaction; see {@link ProxyProjects#attach}).
     */
    public ProjectRow create(String name, boolean isPublic, ProxySettings proxy) {
        try {
            tx.useTransaction(h -> {
                long id = h.attach(ProjectDao.class).create(name, isPublic, clock.instant());
                if (proxy != null) {
                    ProxyProjects.attach(h, id, proxy);
                }
                trail.record(h, "create", "project", name, name, (isPublic ? "public" : "private")
                        + (proxy == null ? "" : "; " + ProxyProjects.describe(proxy)));
            });
        } finally {
            forget(name);
        }
        return get(name);
    }

    /** The facts of those of the named projects that exist (any number of names). */
    public List<ProjectFacts> findAll(Collection<String> names) {
        List<String> all = List.copyOf(names);
        List<ProjectFacts> found = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            found.addAll(tx.withHandle(h -> h.attach(ProjectFactsDao.class).findAll(batch)));
        }
        return found;
    }

    /** The ids of the public projects, which anyone may read. */
    public Set<Long> publicIds() {
        return Set.copyOf(tx.withHandle(h -> h.attach(ProjectFactsDao.class).publicIds()));
    }

    /** Makes a project public (anyone may pull) or private. */
    public void setPublic(String name, boolean isPublic) {
        try {
            tx.useTransaction(h -> {
                if (h.attach(ProjectFactsDao.class).setPublic(name, isPublic) == 0) {
                    throw unknown(name);
                }
                trail.record(h, "update", "project", name, name, isPublic ? "made public" : "made private");
            });
        } finally {
            forget(name);
        }
    }

    /**
     * Lets a project accept pushed indexes whose child manifests it lacks (a replica receiving only
     * some platforms of an image), or not; NO_SUCH_RESOURCE when there is no such project.
     */
    public void setAllowSparseIndexes(String name, boolean allow) {
        tx.useTransaction(h -> {
            if (h.attach(SparseIndexDao.class).set(name, allow) == 0) {
                throw unknown(name);
            }
            trail.record(h, "update", "project", name, name, allow ? "accepts sparse indexes"
                    : "requires every child of an index");
        });
    }

    /**
     * Deletes a project that has no repositories, with its members, its robots, and what system
     * robots were given in it (so that a project created again under the name grants them
     * nothing); CONFLICT naming the repositories when it has any.
     */
    public void delete(String name) {
        try {
            tx.useTransaction(h -> {
                h.attach(ProjectDao.class).deleteEmpty(name);
                h.attach(ProjectListDao.class).forgetRobotPermissions(name);
                trail.record(h, "delete", "project", name, name, null);
            });
        } finally {
            forget(name);
        }
    }

    private static RegistryException unknown(String name) {
        return new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no project named '" + name + "'");
    }

    /** One page of projects and the total. */
    public record Listing(List<ProjectRow> projects, long total) {
        public Listing {
            projects = List.copyOf(projects);
        }
    }
}
