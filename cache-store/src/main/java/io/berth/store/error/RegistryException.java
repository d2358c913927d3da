package io.berth.store.error;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A failure reported to a registry client: an {@link ErrorCode} naming what went wrong, a message
 * that says what to do about it, optional machine-readable detail (a digest, a name), and headers
 * the answer must carry ({@code Retry-After}, {@code WWW-Authenticate}). Nothing else about the
 * exception (no stack trace, no cause) reaches the client; it is created without a stack trace,
 * since it is control flow, not a bug.
 */
public final class RegistryException extends RuntimeException {
    /** The header that tells a client when to come back; every 429 and 503 carries it (the spec asks it of a 429). */
    public static final String RETRY_AFTER = "Retry-After";

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String detail;
    private final transient Map<String, String> headers;

    public RegistryException(ErrorCode code, String message) {
        this(code, message, null, Map.of());
    }

    public RegistryException(ErrorCode code, String message, String detail) {
        this(code, message, detail, Map.of());
    }

    public RegistryException(ErrorCode code, String message, String detail, Map<String, String> headers) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code);
        this.detail = detail;
        this.headers = code.needsRetryAfter() && !headers.containsKey(RETRY_AFTER) ? withDefaultRetryAfter(headers)
                : Map.copyOf(headers);
    }

    private static Map<String, String> withDefaultRetryAfter(Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put(RETRY_AFTER, "1");
        return Map.copyOf(all);
    }

    /** A refusal for now that tells the client when to try again. */
    public static RegistryException retryLater(ErrorCode code, String message, Duration after) {
        long seconds = Math.max(1, (after.toMillis() + 999) / 1000);
        return new RegistryException(code, message, null, Map.of(RETRY_AFTER, Long.toString(seconds)));
    }

    public ErrorCode code() {
        return code;
    }

    /** Optional machine-readable detail for the error body; may be null. */
    public String detail() {
        return detail;
    }

    /** Headers the error response must carry, by name; empty when none. */
    public Map<String, String> headers() {
        return headers;
    }
}
