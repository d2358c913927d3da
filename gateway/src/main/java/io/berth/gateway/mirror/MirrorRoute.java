package io.berth.gateway.mirror;

import io.berth.store.oci.RepositoryName;

import java.util.Objects;

/**
 * Where a read is served from: the repository the client named, the repository that serves it
 * (a proxy project's, when a mirror mode maps the name there), and the {@code ns} the request was
 * routed by.
 *
 * @param requested the repository name as the client wrote it in the path
 * @param served    the repository that serves the read: {@code requested}, or
 *                  {@code <proxy project>/<requested>} in mirror modes 1 and 2
 * @param namespace the {@code ns} query parameter that chose the proxy project (normalised: lower
 *                  case), which the answer echoes in {@code OCI-Namespace}; null when none did
 */
public record MirrorRoute(RepositoryName requested, RepositoryName served, String namespace) {
    public MirrorRoute {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(served, "served");
    }

    /** A read served from the repository it names, routed by no {@code ns}. */
    public static MirrorRoute direct(RepositoryName name) {
        return new MirrorRoute(name, name, null);
    }

    /** Whether the read is served from another repository than the one the client named. */
    public boolean mapped() {
        return !requested.equals(served);
    }
}
