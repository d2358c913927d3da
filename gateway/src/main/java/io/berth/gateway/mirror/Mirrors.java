package io.berth.gateway.mirror;

import io.berth.store.oci.RepositoryName;

import java.util.Optional;

/**
 * Where reads are served from, so that clients that do not name a project reach a proxy project:
 * mode 1, dockerd's {@code registry-mirrors} ({@code /v2/library/nginx/...}: a name whose first
 * component is no project is served by the default mirror project), and mode 2, containerd's
 * {@code hosts.toml} ({@code ?ns=docker.io}: served by the proxy project of that upstream host).
 * Mode 3, a path that starts with the proxy project, is served as named. Only reads are routed:
 * pushes and deletes name their repository as it is.
 *
 * <p>A read that a mirror mode cannot serve fails with {@code NAME_UNKNOWN} at once, so that
 * dockerd and containerd go on to their next endpoint.
 */
public interface Mirrors {
    /**
     * The route of a read when what it depends on is at hand; never blocks (the event loop asks).
     * Empty when something must be looked up: ask {@link #route}.
     *
     * @param namespace the request's {@code ns} query parameter, or null
     * @throws io.berth.store.error.RegistryException NAME_UNKNOWN when no mirror mode can serve it
     */
    Optional<MirrorRoute> remembered(RepositoryName requested, String namespace);

    /**
     * The route of a read; may block on the database.
     *
     * @param namespace the request's {@code ns} query parameter, or null
     * @throws io.berth.store.error.RegistryException NAME_UNKNOWN when no mirror mode can serve it
     */
    MirrorRoute route(RepositoryName requested, String namespace);

    /**
     * Forgets what is known of a project (created, deleted, made or changed as a proxy project) and
     * of the proxy projects' upstream hosts, after a change made in this process.
     */
    void forget(String project);

    /**
     * A push or delete into {@code project} is about to be served: if it was found missing, forget
     * that, since the push may create it (reads of its names must then reach it, not a mirror).
     * Never blocks.
     */
    void written(String project);

    /** No mirror modes: every read is served from the repository it names. */
    static Mirrors none() {
        return new Mirrors() {
            @Override
            public Optional<MirrorRoute> remembered(RepositoryName requested, String namespace) {
                return Optional.of(MirrorRoute.direct(requested));
            }

            @Override
            public MirrorRoute route(RepositoryName requested, String namespace) {
                return MirrorRoute.direct(requested);
            }

            @Override
            public void forget(String project) {
            }

            @Override
            public void written(String project) {
            }
        };
    }
}
