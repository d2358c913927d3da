package io.berth.gateway.auth.projects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;

import java.time.Duration;
import java.util.Optional;

/**
 * Projects as access sees them: whether they exist, are public, and since when. Facts found are
 * remembered for a few seconds, so that the requests of a pull do not each ask the database;
 * changes made here (and those reported through {@link #forget}) are seen at once, those of
 * another instance on the same database within {@link #FRESHNESS}. Methods other than
 * {@link #remembered} block on the database.
 */
public final class Projects {
    /** How long found facts are used without asking the database again. */
    public static final Duration FRESHNESS = Duration.ofSeconds(5);

    private final Transactions tx;
    private final Cache<String, ProjectFacts> facts = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(FRESHNESS).build();

    public Projects(Transactions tx) {
        this.tx = tx;
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

    /** Makes a project public (anyone may pull) or private. */
    public void setPublic(String name, boolean isPublic) {
        try {
            if (tx.inTransaction(h -> h.attach(ProjectFactsDao.class).setPublic(name, isPublic)) == 0) {
                throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no project named '" + name + "'");
            }
        } finally {
            forget(name);
        }
    }
}
