package io.berth.store.meta;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/** Finds repositories, and creates them (and their project, when allowed) on first write. */
public final class Repositories {
    private final boolean autoCreateProjects;

    public Repositories(boolean autoCreateProjects) {
        this.autoCreateProjects = autoCreateProjects;
    }

    public Optional<Long> find(Handle handle, RepositoryName name) {
        return handle.attach(RepositoryDao.class).findId(name.value());
    }

    /** The repository's id; fails with NAME_UNKNOWN when it does not exist. */
    public long require(Handle handle, RepositoryName name) {
        return find(handle, name).orElseThrow(() -> nameUnknown(name));
    }

    /** Whether a write into {@code name} is allowed: its project exists, or may be created. */
    public void checkWritable(Handle handle, RepositoryName name) {
        if (!autoCreateProjects && handle.attach(ProjectDao.class).findId(name.project()).isEmpty()) {
            throw projectUnknown(name);
        }
    }

    /** The repository's id, creating it (and its project when auto-creation is on) if needed. */
    public long ensure(Handle handle, RepositoryName name, Instant now) {
        Optional<Long> existing = find(handle, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        ProjectDao projects = handle.attach(ProjectDao.class);
        Optional<Long> projectId = projects.findId(name.project());
        if (projectId.isEmpty()) {
            if (!autoCreateProjects) {
                throw projectUnknown(name);
            }
            projects.createIfAbsent(name.project(), now);
            projectId = projects.findId(name.project());
        }
        RepositoryDao repositories = handle.attach(RepositoryDao.class);
        repositories.createIfAbsent(projectId.orElseThrow(), name.value(), now);
        return repositories.findId(name.value()).orElseThrow();
    }

    public static RegistryException nameUnknown(RepositoryName name) {
        return new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + name + " is not known to this registry", name.value());
    }

    private static RegistryException projectUnknown(RepositoryName name) {
        return new RegistryException(ErrorCode.NAME_UNKNOWN, "project '" + name.project() + "' does not exist: an"
                + " administrator must create it before " + name + " can be pushed", name.value());
    }
}
