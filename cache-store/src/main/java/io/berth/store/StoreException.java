package io.berth.store;

import java.util.Objects;

/**
 * A failure the registry reports to its client: a {@link Failure} that names what went wrong and
 * a message that says what to do about it. The gateway maps each failure to its OCI error code and
 * HTTP status; nothing else about the exception reaches the client.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, in the vocabulary of the OCI distribution spec's error codes. */
    public enum Failure {
        BLOB_UNKNOWN,
        BLOB_UPLOAD_UNKNOWN,
        DIGEST_INVALID,
        MANIFEST_BLOB_UNKNOWN,
        MANIFEST_INVALID,
        MANIFEST_UNKNOWN,
        NAME_INVALID,
        NAME_UNKNOWN,
        TAG_INVALID,
        RANGE_INVALID,
        TOO_LARGE,
        /** A conditional request's {@code If-Match} / {@code If-None-Match} did not hold. */
        PRECONDITION_FAILED
    }

    private final Failure failure;
    private final String detail;

    public StoreException(Failure failure, String message) {
        this(failure, message, null);
    }

    public StoreException(Failure failure, String message, String detail) {
        super(message, null, false, false);
        this.failure = Objects.requireNonNull(failure);
        this.detail = detail;
    }

    public Failure failure() {
        return failure;
    }

    /** Optional machine-readable detail (a digest, a name) for the error body; may be null. */
    public String detail() {
        return detail;
    }
}
