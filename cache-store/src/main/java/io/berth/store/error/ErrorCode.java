package io.berth.store.error;

/**
 * Every error a registry client can see, registered once with its HTTP status and its wire code,
 * so that the gateway, the admin API, the upstream client and the sync agent speak one vocabulary.
 *
 * <p>Wire codes are the OCI distribution spec's fourteen, so several errors share one: a chunk out
 * of order is {@code BLOB_UPLOAD_INVALID} with 416, an oversized manifest {@code MANIFEST_INVALID}
 * with 413. Failures of the registry itself, which the spec's list does not cover, use the codes
 * CNCF Distribution registers for them: {@code UNKNOWN} (500) and {@code UNAVAILABLE} (503).
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(404, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    /** The client sends too much; always answered with {@code Retry-After}. */
    TOOMANYREQUESTS(429, "too many requests"),

    /** A manifest over the size limit (the spec asks for 413). */
    MANIFEST_TOO_LARGE("MANIFEST_INVALID", 413, "manifest exceeds the size limit"),
    /** A tag that breaks the spec's tag grammar. */
    TAG_INVALID("MANIFEST_INVALID", 400, "invalid tag"),
    /** An upload chunk that does not start where the session ends (the spec asks for 416). */
    CHUNK_OUT_OF_ORDER("BLOB_UPLOAD_INVALID", 416, "chunk out of order or its range is invalid"),
    /** A {@code Range} past the end of a blob. */
    RANGE_NOT_SATISFIABLE("SIZE_INVALID", 416, "requested range is not satisfiable"),
    /** A manifest push whose {@code If-Match} / {@code If-None-Match} did not hold (RFC 9110 asks for 412). */
    PRECONDITION_FAILED("DENIED", 412, "precondition failed"),
    /** A listing's {@code n} that is not a whole number in range. */
    PAGINATION_NUMBER_INVALID("UNSUPPORTED", 400, "invalid number of results requested"),
    /** A path that is no endpoint of the API. */
    NOT_FOUND("UNSUPPORTED", 404, "no such endpoint"),
    /** HTTP the server cannot parse. */
    BAD_REQUEST("UNSUPPORTED", 400, "malformed HTTP request"),
    /** A request whose URI, with {@code ?tag=} parameters and all, is longer than the registry reads. */
    URI_TOO_LONG("UNSUPPORTED", 414, "request URI too long"),
    /** Request headers larger than the registry reads (RFC 6585). */
    HEADERS_TOO_LARGE("UNSUPPORTED", 431, "request header fields too large"),
    /** A request body that did not arrive in time. */
    REQUEST_TIMEOUT("UNSUPPORTED", 408, "the request body did not arrive in time"),

    /** Admin API only: the request's content is not acceptable (a weak password, a bad name). */
    INVALID_INPUT("INVALID_INPUT", 400, "invalid input"),
    /** Admin API only: what the request would create exists already (a user name, a member). */
    CONFLICT("CONFLICT", 409, "conflicts with what exists"),
    /** Admin API only: no such user, project, member or robot. */
    NO_SUCH_RESOURCE("NOT_FOUND", 404, "not found"),

    /** The registry is overloaded (database pool, memory for request bodies); always with {@code Retry-After}. */
    UNAVAILABLE("UNAVAILABLE", 503, "service unavailable"),
    /** An upstream registry that a proxy or replication depends on cannot be reached or fails. */
    UPSTREAM_UNAVAILABLE("UNAVAILABLE", 503, "upstream registry unavailable"),
    /** The storage is full: nothing of the write was kept. */
    STORAGE_FULL("UNAVAILABLE", 507, "insufficient storage"),
    /** The registry failed; the client did nothing wrong. */
    INTERNAL("UNKNOWN", 500, "internal error");

    private final String code;
    private final int status;
    private final String defaultMessage;

    ErrorCode(int status, String defaultMessage) {
        this.code = name();
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    ErrorCode(String code, int status, String defaultMessage) {
        this.code = code;
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    /** The code written into the error body's {@code code} field. */
    public String code() {
        return code;
    }

    /** The HTTP status of a response carrying this error. */
    public int status() {
        return status;
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    /** Whether a response with this error must tell the client when to come back ({@code Retry-After}). */
    public boolean needsRetryAfter() {
        return status == 429 || status == 503;
    }
}
