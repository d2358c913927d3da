package io.berth.store.content;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;

import java.util.Objects;

/**
 * A repository resolved once for a request: its name, the kind of its project, and the source its
 * content is read from. Writes (pushes, deletes) are allowed only into local projects.
 */
public record RepositoryHandle(RepositoryName name, ProjectKind kind, ContentSource content) {
    public RepositoryHandle {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(content, "content");
    }

    /**
     * Fails with DENIED unless clients may write into this repository: a proxy project holds what
     * its upstream has, and only pulls fill it.
     */
    public void requireWritable() {
        if (kind != ProjectKind.LOCAL) {
            throw new RegistryException(ErrorCode.DENIED, "project '" + name.project() + "' is a proxy of its upstream"
                    + " registry, which clients cannot push to or delete from: pulls fill it; push to a local"
                    + " project instead", name.value());
        }
    }
}
