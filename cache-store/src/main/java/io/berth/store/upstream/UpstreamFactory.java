package io.berth.store.upstream;

/**
 * Gives the {@link Upstream} of a registry endpoint: one per endpoint and version of it (its
 * connection pool, token cache, circuit breaker and rate budget are shared by everything that
 * reaches the same upstream), replaced when the endpoint changes.
 */
@FunctionalInterface
public interface UpstreamFactory {
    Upstream of(RegistryEndpoint endpoint);

    /** Lets go of what was kept for an endpoint that was deleted (its client, its metrics); by default nothing is. */
    default void forget(long endpointId) {
    }
}
