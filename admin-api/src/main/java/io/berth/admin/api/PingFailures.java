package io.berth.admin.api;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.UpstreamException;

import javax.net.ssl.SSLException;
import java.time.Duration;

/**
 * What a failed registry ping tells the admin: what failed and what to do. What the endpoint's
 * settings can fix (credentials refused, a certificate not trusted, no registry at the URL) is
 * {@code INVALID_INPUT} (400); an upstream that cannot serve now (unreachable, timed out, failing,
 * rate-limited, or not asked) is {@code UNAVAILABLE} (503) with {@code Retry-After}.
 */
final class PingFailures {
    private PingFailures() {
    }

    static RegistryException explain(RegistryEndpoint endpoint, UpstreamException e) {
        String tried = "Tried to reach registry endpoint '" + endpoint.name() + "' (" + endpoint.urls().getFirst()
                + (endpoint.urls().size() > 1 ? " and " + (endpoint.urls().size() - 1) + " more" : "")
                + ") but failed because: ";
        String reason = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
        return switch (e.kind()) {
            case UNREACHABLE -> isTls(e)
                    ? invalid(tried + "its TLS certificate is not trusted" + reason + ". Give its CA in caPem, or set"
                    + " insecure: true for a self-signed certificate")
                    : unavailable(tried + "it is unreachable" + reason + ". Check the URL and that Berth's host can"
                    + " connect to it (DNS, firewall, proxy)", null);
            case TIMEOUT -> unavailable(tried + "it timed out" + reason + ". Check that it is up and not overloaded",
                    null);
            case SERVER_ERROR -> unavailable(tried + "it failed with status " + e.status() + reason + ". Try again"
                    + " later", null);
            case RATE_LIMITED -> unavailable(tried + "it is rate-limiting Berth" + reason + ". Try again later, or"
                    + " give credentials with a larger pull allowance", e.retryAfter().orElse(null));
            case UNAUTHORIZED, REPOSITORY_REFUSED -> invalid(tried + "it refused the credentials" + reason
                    + ". Set the right ones with PUT /api/v1/registries/" + endpoint.id());
            case INVALID_RESPONSE -> invalid(tried + "its answer is not a registry's" + reason + ". Check that the URL"
                    + " is the registry's base URL (where /v2/ answers)");
            case NOT_ASKED -> unavailable(tried + "Berth did not ask it" + reason + ". Try again later", null);
            case REJECTED, UNSUPPORTED -> invalid(tried + "it refused the request" + reason + ". Check that the URL"
                    + " is the registry's base URL (where /v2/ answers)");
        };
    }

    private static boolean isTls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }

    private static RegistryException unavailable(String message, Duration retryAfter) {
        return retryAfter == null ? new RegistryException(ErrorCode.UPSTREAM_UNAVAILABLE, message)
                : RegistryException.retryLater(ErrorCode.UPSTREAM_UNAVAILABLE, message, retryAfter);
    }
}
