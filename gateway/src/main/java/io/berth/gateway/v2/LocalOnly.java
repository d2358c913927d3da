package io.berth.gateway.v2;

import io.berth.gateway.http.Route;
import io.berth.gateway.mirror.Mirrors;
import io.berth.store.Registry;
import io.berth.store.content.RepositoryHandle;
import io.berth.store.oci.RepositoryName;

import java.util.Optional;

/**
 * Pushes and deletes go only into local projects: a proxy project holds what its upstream has, and
 * clients do not change it. The check runs before the handler asks for the request's body, so a
 * refused push reads none of it (and is never sent {@code 100 Continue}) and stores nothing. A
 * write also tells the mirrors that its project may exist from now on (a push creates it).
 */
final class LocalOnly {
    private final Registry registry;
    private final Mirrors mirrors;

    LocalOnly(Registry registry, Mirrors mirrors) {
        this.registry = registry;
        this.mirrors = mirrors;
    }

    /**
     * {@code handler}, run once the repository its request names may be written by clients: at once
     * when the project's kind is known, else after looking it up on a blocking thread; DENIED, naming
     * the project as a proxy of its upstream, when it is a proxy project.
     */
    Route.Handler writes(Route.Handler handler) {
        return ex -> {
            RepositoryName name = RepositoryName.parse(ex.param("name"));
            mirrors.written(name.project());
            Optional<RepositoryHandle> known = registry.repositories().cached(name);
            if (known.isPresent()) {
                known.get().requireWritable();
                handler.handle(ex);
                return;
            }
            ex.blocking(() -> {
                registry.repositories().resolve(name).requireWritable();
                handler.handle(ex);
            });
        };
    }
}
