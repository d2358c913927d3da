package io.berth.store.proxy;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;
import io.berth.store.upstream.RegistryEndpoint;

/**
 * How a repository of a proxy project maps to its upstream's: {@code hub/library/nginx} of the
 * proxy project {@code hub} is {@code library/nginx} upstream. On Docker Hub a single-segment name
 * means an official image, so {@code hub/nginx} is {@code library/nginx} upstream and is cached
 * under the same local repository as {@code hub/library/nginx}, without a redirect: both names
 * share one cache.
 *
 * @param local    the repository the cache keeps the content in
 * @param upstream the repository's name at the upstream
 */
public record UpstreamNames(RepositoryName local, String upstream) {
    /** Docker Hub's namespace of official images. */
    public static final String DOCKER_HUB_OFFICIAL = "library/";

    /**
     * The names of a repository that a client asked for in a proxy project mirroring an upstream of
     * {@code type}; NAME_UNKNOWN for the project's bare name, which names no upstream repository.
     */
    public static UpstreamNames of(RepositoryName requested, RegistryEndpoint.Type type) {
        String project = requested.project();
        if (requested.value().length() == project.length()) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "'" + project + "' is a proxy project, not a"
                    + " repository: pull " + project + "/<upstream repository>, e.g. " + project
                    + "/library/nginx", requested.value());
        }
        String upstream = requested.value().substring(project.length() + 1);
        if (type == RegistryEndpoint.Type.DOCKER_HUB && upstream.indexOf('/') < 0) {
            upstream = DOCKER_HUB_OFFICIAL + upstream;
            return new UpstreamNames(RepositoryName.parse(project + '/' + upstream), upstream);
        }
        return new UpstreamNames(requested, upstream);
    }
}
