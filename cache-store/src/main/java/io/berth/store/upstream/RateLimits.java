package io.berth.store.upstream;

import io.berth.store.upstream.Upstream.RateLimit;
import io.berth.store.upstream.UpstreamException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An upstream's pull budget as its last answer reported it ({@code ratelimit-*} headers), and its
 * 429s: Docker Hub's pull-rate-limit error ({@code TOOMANYREQUESTS}, the account or address has
 * used its pulls for the window) is told apart from any other "too many requests", in the logs
 * and in the message, because only the first is fixed by signing in or waiting hours.
 */
final class RateLimits {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

    private final AtomicReference<RateLimit> last = new AtomicReference<>();
    private final Clock clock;

    RateLimits(Clock clock) {
        this.clock = clock;
    }

    Optional<RateLimit> last() {
        return Optional.ofNullable(last.get());
    }

    /** Notes the budget of an answer from the registry, when it has one. */
    void observe(UpstreamResponse response) {
        ResponseHeaders.rateLimit(response.headers()).ifPresent(last::set);
    }

    /** The failure of a 429 answer (whose body it reads and closes), logged by kind. */
    UpstreamException tooManyRequests(UpstreamResponse response, String endpointName) {
        Duration retryAfter = ResponseHeaders.retryAfter(response.headers(), clock.instant()).orElse(null);
        byte[] body = response.errorBody();
        String summary = ErrorSummary.of(body);
        String wait = retryAfter == null ? "" : "; the upstream asks to wait " + retryAfter.toSeconds() + " s";
        String budget = ResponseHeaders.rateLimit(response.headers())
                .map(r -> "; " + r.remaining() + " of " + r.limit() + " pulls left"
                        + (r.windowSeconds() > 0 ? " per " + r.windowSeconds() + " s" : ""))
                .orElse("");
        String message;
        if (ErrorSummary.isPullRateLimit(body)) {
            message = "Docker Hub's pull rate limit is reached (" + summary + ")" + budget + wait
                    + "; sign the endpoint in with a Docker Hub account for a larger budget";
            LOG.warn("upstream '{}': Docker Hub pull rate limit reached{}{}", endpointName, budget, wait);
        } else {
            message = "the upstream answered 429 Too Many Requests" + (summary.isEmpty() ? "" : " (" + summary + ")")
                    + wait;
            LOG.warn("upstream '{}': 429 Too Many Requests from {}{}", endpointName,
                    CredentialBoundary.origin(response.uri()), wait);
        }
        return new UpstreamException(Kind.RATE_LIMITED, 429, retryAfter, message, null);
    }
}
