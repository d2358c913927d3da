package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.store.upstream.Upstream;

/**
 * A registry endpoint that answered {@code GET /v2/} with its credentials.
 *
 * @param millis    how long the check took
 * @param rateLimit the pull budget the upstream reported, when it did
 */
public record RegistryPing(boolean ok, long id, String name, long millis,
                           @JsonInclude(JsonInclude.Include.NON_NULL) RateLimit rateLimit) {
    /** A pull budget: {@code limit} pulls per {@code windowSeconds}, {@code remaining} of them left. */
    public record RateLimit(long limit, long remaining, long windowSeconds) {
        public static RateLimit of(Upstream.RateLimit limit) {
            return new RateLimit(limit.limit(), limit.remaining(), limit.windowSeconds());
        }
    }
}
