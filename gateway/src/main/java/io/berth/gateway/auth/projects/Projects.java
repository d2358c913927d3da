package io.berth.gateway.auth.projects;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Projects as access sees them: whether they exist, are public, and since when. Methods block on the database. */
public final class Projects {
    /** Names per query: PostgreSQL's driver takes at most 32,767 parameters per statement. */
    private static final int BATCH = 1000;

    private final Transactions tx;

    public Projects(Transactions tx) {
        this.tx = tx;
    }

    public Optional<ProjectFacts> find(String name) {
        return tx.withHandle(h -> h.attach(ProjectFactsDao.class).find(name));
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
        if (tx.inTransaction(h -> h.attach(ProjectFactsDao.class).setPublic(name, isPublic)) == 0) {
            throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no project named '" + name + "'");
        }
    }
}
