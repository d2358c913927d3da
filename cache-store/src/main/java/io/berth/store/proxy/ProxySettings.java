package io.berth.store.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a proxy project mirrors its upstream (the {@code proxy_project} row).
 *
 * @param registryId        the registry endpoint it mirrors
 * @param allowlist         upstream repository patterns it serves (globs with {@code *}, {@code **},
 *                          {@code ?}; {@code regex:<expression>} for a regular expression); empty: all
 * @param freshness         how long a tag is served from the cache before it is revalidated with a HEAD
 * @param onUpstreamMissing what a 404 from the upstream does to a cached tag
 * @param sizeBudget        the most bytes its cache may hold (eviction), or 0 for no bound
 * @param maxAge            how long an artifact not pulled may stay cached, or null for no bound
 */
public record ProxySettings(long registryId, List<String> allowlist, Duration freshness,
                            OnUpstreamMissing onUpstreamMissing, long sizeBudget, Duration maxAge) {
    /** The freshness window when none is given. */
    public static final Duration DEFAULT_FRESHNESS = Duration.ofMinutes(5);

    public ProxySettings {
        allowlist = List.copyOf(allowlist);
        Objects.requireNonNull(freshness, "freshness");
        Objects.requireNonNull(onUpstreamMissing, "onUpstreamMissing");
    }

    /** What the proxy does with a cached tag the upstream answers 404 for. */
    public enum OnUpstreamMissing {
        /** Keep serving the cached copy (the image was deleted upstream; the mirror keeps it). */
        SERVE,
        /** Remove the cached tag and answer 404, as the upstream does. */
        DELETE
    }
}
