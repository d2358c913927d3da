package io.berth.store.upstream;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * An upstream registry could not answer as asked: what kind of failure it was (so the proxy knows
 * whether to serve its cache, and metrics and logs can tell them apart), the HTTP status when
 * there was one, and how long the upstream asked to wait when it said so. A 404 is not one of
 * these: {@link Upstream}'s methods return empty for it.
 */
public final class UpstreamException extends IOException {
    /** The kinds of upstream failure. */
    public enum Kind {
        /** No connection (refused, reset, DNS, TLS handshake), on every URL of the endpoint. */
        UNREACHABLE,
        /** Connected, but no headers or no bytes arrived within the time allowed. */
        TIMEOUT,
        /** A 5xx answer. */
        SERVER_ERROR,
        /** 429 (or Docker Hub's rate-limit error): {@link #retryAfter} says how long to wait, when known. */
        RATE_LIMITED,
        /** The upstream refused the credentials (its token service, a Basic sign-in, a static token), or 403. */
        UNAUTHORIZED,
        /**
         * Signed in with a token the upstream's token service issued, and still refused (401) the
         * repository: Docker Hub's answer for a repository that does not exist, as for one the
         * credentials may not pull (it says 404 to neither). For the client, an unknown repository.
         */
        REPOSITORY_REFUSED,
        /** An answer Berth refuses: too large, wrong digest, bad redirect, malformed JSON, a token realm elsewhere. */
        INVALID_RESPONSE,
        /** The circuit breaker is open or the concurrency/rate cap is full: the upstream was not asked. */
        NOT_ASKED,
        /**
         * The registry refused what Berth sent (a 4xx to a write: a manifest it finds invalid or whose
         * blobs it lacks, a name it does not know, a digest it disputes); {@link #registryCode} says why.
         */
        REJECTED,
        /** The registry does not offer the operation (405, or {@code UNSUPPORTED}: deletes turned off, a read-only mirror). */
        UNSUPPORTED
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;
    private final String registryCode;

    public UpstreamException(Kind kind, int status, Duration retryAfter, String message, Throwable cause) {
        this(kind, status, retryAfter, null, message, cause);
    }

    /** @param registryCode the error code the registry gave (see {@link #registryCode}), or null */
    public UpstreamException(Kind kind, int status, Duration retryAfter, String registryCode, String message,
                             Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
        this.registryCode = registryCode;
    }

    public UpstreamException(Kind kind, String message) {
        this(kind, 0, null, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the answer, or 0 when there was none. */
    public int status() {
        return status;
    }

    /** How long the upstream asked to wait (Retry-After), when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The error code the registry gave, when it gave one: the first {@code errors[].code} of its
     * answer ({@code MANIFEST_BLOB_UNKNOWN}, {@code DENIED}, …), or for a Bearer token it found
     * lacking, its challenge's {@code error} ({@code insufficient_scope}).
     */
    public Optional<String> registryCode() {
        return Optional.ofNullable(registryCode);
    }
}
