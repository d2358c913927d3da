package io.berth.gateway.auth.projects;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;

import java.util.Optional;

/** Projects as access sees them: whether they exist, are public, and since when. Methods block on the database. */
public final class Projects {
    private final Transactions tx;

    public Projects(Transactions tx) {
        this.tx = tx;
    }

    public Optional<ProjectFacts> find(String name) {
        return tx.withHandle(h -> h.attach(ProjectFactsDao.class).find(name));
    }

    /** Makes a project public (anyone may pull) or private. */
    public void setPublic(String name, boolean isPublic) {
        if (tx.inTransaction(h -> h.attach(ProjectFactsDao.class).setPublic(name, isPublic)) == 0) {
            throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no project named '" + name + "'");
        }
    }
}
