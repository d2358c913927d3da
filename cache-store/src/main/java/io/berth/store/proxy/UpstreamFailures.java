package io.berth.store.proxy;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.upstream.UpstreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * What the proxy makes of a failed upstream call: one log line (kind, status, the upstream's name:
 * never a credential), and, when nothing cached can stand in, the client's error. A rate-limited
 * upstream is {@code TOOMANYREQUESTS} with the upstream's {@code Retry-After}; a repository it
 * refuses although Berth signed in is {@code NAME_UNKNOWN} (404: Docker Hub answers 401 for a
 * repository it does not have, and passing that on would make docker ask the user to log in);
 * every other failure is {@code UPSTREAM_UNAVAILABLE} (503), answered at once so that mirror
 * clients try their next endpoint.
 */
final class UpstreamFailures {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamFailures.class);

    private UpstreamFailures() {
    }

    /** Logs a failure that the cache covered: what was asked, and that a cached copy was served. */
    static void servedStale(ProxyContext context, String what, Throwable failure) {
        LOG.warn("proxy {}: {} of {} from upstream '{}' failed ({}); served the cached copy", context.project(),
                what, context.upstreamName(), context.upstreamLabel(), describe(failure));
    }

    /** Logs a failure nothing covered and returns the client's error for it. */
    static RegistryException toClient(ProxyContext context, String what, Throwable failure, Deadline deadline) {
        if (failure instanceof RegistryException e) {
            return e;
        }
        if (failure instanceof InterruptedIOException) {
            return RegistryException.retryLater(ErrorCode.UNAVAILABLE, "the registry is stopping: try again",
                    Duration.ofSeconds(1));
        }
        String tried = "Tried to " + what + " of " + context.upstreamName() + " from upstream registry '"
                + context.upstreamLabel() + "' but ";
        if (failure instanceof UpstreamException e && e.kind() == UpstreamException.Kind.REPOSITORY_REFUSED) {
            // Docker Hub's 401 for a repository it does not have: a sign-in prompt would mislead the user.
            LOG.info("proxy {}: {} of {} from upstream '{}' was refused ({})", context.project(), what,
                    context.upstreamName(), context.upstreamLabel(), describe(failure));
            return new RegistryException(ErrorCode.NAME_UNKNOWN, tried + "it has no such repository or refuses"
                    + " access to it: check the image name, or ask an administrator to give the registry endpoint"
                    + " credentials that may pull it", context.upstreamName());
        }
        LOG.warn("proxy {}: {} of {} from upstream '{}' failed ({}); nothing cached to serve instead",
                context.project(), what, context.upstreamName(), context.upstreamLabel(), describe(failure));
        if (failure instanceof TimeoutException) {
            return new RegistryException(ErrorCode.UPSTREAM_UNAVAILABLE, tried + "it did not answer within "
                    + deadline.budget().toMillis() + " ms; Berth keeps trying in the background: pull again shortly",
                    null, Map.of(RegistryException.RETRY_AFTER, "2"));
        }
        if (failure instanceof UpstreamException e) {
            Duration after = e.retryAfter().orElse(null);
            if (e.kind() == UpstreamException.Kind.RATE_LIMITED) {
                String message = tried + "it is rate-limiting Berth" + (after == null ? "" : " (retry after "
                        + seconds(after) + " s)") + ", and nothing is cached for it yet: pull again later";
                return after == null ? new RegistryException(ErrorCode.TOOMANYREQUESTS, message)
                        : RegistryException.retryLater(ErrorCode.TOOMANYREQUESTS, message, after);
            }
            String message = tried + reason(e, context.upstream().endpoint().credential() != null)
                    + ", and nothing is cached for it yet: pull again later or ask an administrator to check the"
                    + " registry endpoint";
            return after == null ? new RegistryException(ErrorCode.UPSTREAM_UNAVAILABLE, message)
                    : RegistryException.retryLater(ErrorCode.UPSTREAM_UNAVAILABLE, message, after);
        }
        LOG.error("proxy {}: {} of {} failed unexpectedly", context.project(), what, context.upstreamName(), failure);
        return new RegistryException(ErrorCode.UPSTREAM_UNAVAILABLE, tried + "it failed: pull again later");
    }

    /** The failure as a log reads it. */
    static String describe(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return "no answer within the deadline";
        }
        if (failure instanceof UpstreamException e) {
            return e.kind().name().toLowerCase(Locale.ROOT) + (e.status() == 0 ? "" : " " + e.status()) + ": "
                    + e.getMessage();
        }
        return failure.toString();
    }

    /**
     * Why the upstream failed, as the client reads it. A refused access is told apart by whether the
     * endpoint signs in at all: without credentials Berth has none to be refused, and with them the
     * upstream (or its token service) may reject them or only deny this repository, which is how
     * registries such as Docker Hub answer for a repository that does not exist.
     */
    private static String reason(UpstreamException e, boolean signsIn) {
        String status = e.status() == 0 ? "" : " (HTTP " + e.status() + ")";
        return switch (e.kind()) {
            case UNREACHABLE -> "it could not be reached";
            case TIMEOUT -> "it did not answer in time";
            case SERVER_ERROR -> "it failed" + status;
            case RATE_LIMITED -> "it is rate-limiting Berth";
            case UNAUTHORIZED -> signsIn
                    ? "it refused access with the registry endpoint's credentials" + status + ": they are wrong or may"
                    + " not pull this repository, or it does not exist there"
                    : "it refused anonymous access" + status + ": the repository does not exist there, or the"
                    + " registry endpoint needs credentials";
            case REPOSITORY_REFUSED -> "it has no such repository or refuses access to it" + status;
            case INVALID_RESPONSE -> "its answer was refused (" + e.getMessage() + ")";
            case NOT_ASKED -> "Berth is holding back requests to it (it failed repeatedly or is at its request cap)";
            case REJECTED, UNSUPPORTED -> "it refused the request" + status + " (" + e.getMessage() + ")";
        };
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
