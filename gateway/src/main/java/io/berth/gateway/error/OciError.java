package io.berth.gateway.error;

import io.berth.store.StoreException;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Every error a client can see, registered once with its HTTP status and its wire code. Wire
 * codes are the OCI distribution spec's fourteen (its "code MUST be one of"), so several errors
 * share one: a chunk out of order is {@code BLOB_UPLOAD_INVALID} with 416, an oversized manifest
 * {@code MANIFEST_INVALID} with 413. The one exception is a failure of the registry itself,
 * which the spec's list does not cover: {@code UNKNOWN} with 500, as Distribution sends.
 */
public enum OciError {
    BLOB_UNKNOWN(HttpResponseStatus.NOT_FOUND, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(HttpResponseStatus.BAD_REQUEST, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(HttpResponseStatus.NOT_FOUND, "blob upload unknown to registry"),
    DIGEST_INVALID(HttpResponseStatus.BAD_REQUEST, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(HttpResponseStatus.NOT_FOUND, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(HttpResponseStatus.BAD_REQUEST, "manifest invalid"),
    MANIFEST_UNKNOWN(HttpResponseStatus.NOT_FOUND, "manifest unknown to registry"),
    NAME_INVALID(HttpResponseStatus.BAD_REQUEST, "invalid repository name"),
    NAME_UNKNOWN(HttpResponseStatus.NOT_FOUND, "repository name not known to registry"),
    SIZE_INVALID(HttpResponseStatus.BAD_REQUEST, "provided length did not match content length"),
    UNAUTHORIZED(HttpResponseStatus.UNAUTHORIZED, "authentication required"),
    DENIED(HttpResponseStatus.FORBIDDEN, "requested access to the resource is denied"),
    UNSUPPORTED(HttpResponseStatus.METHOD_NOT_ALLOWED, "the operation is unsupported"),
    TOOMANYREQUESTS(HttpResponseStatus.TOO_MANY_REQUESTS, "too many requests"),

    /** A manifest over the size limit (the spec asks for 413). */
    MANIFEST_TOO_LARGE("MANIFEST_INVALID", HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "manifest exceeds the size limit"),
    /** A tag that breaks the spec's tag grammar. */
    TAG_INVALID("MANIFEST_INVALID", HttpResponseStatus.BAD_REQUEST, "invalid tag"),
    /** An upload chunk that does not start where the session ends (the spec asks for 416). */
    CHUNK_OUT_OF_ORDER("BLOB_UPLOAD_INVALID", HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
            "chunk out of order or its range is invalid"),
    /** A {@code Range} past the end of a blob. */
    RANGE_NOT_SATISFIABLE("SIZE_INVALID", HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
            "requested range is not satisfiable"),
    /** A manifest push whose {@code If-Match} / {@code If-None-Match} did not hold (RFC 9110 asks for 412). */
    PRECONDITION_FAILED("DENIED", HttpResponseStatus.PRECONDITION_FAILED, "precondition failed"),
    /** A listing's {@code n} that is not a whole number in range. */
    PAGINATION_NUMBER_INVALID("UNSUPPORTED", HttpResponseStatus.BAD_REQUEST, "invalid number of results requested"),
    /** A path that is no endpoint of the API. */
    NOT_FOUND("UNSUPPORTED", HttpResponseStatus.NOT_FOUND, "no such endpoint"),
    /** HTTP the server cannot parse. */
    BAD_REQUEST("UNSUPPORTED", HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"),
    /** The registry failed; the client did nothing wrong. */
    INTERNAL("UNKNOWN", HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");

    private final String code;
    private final HttpResponseStatus status;
    private final String defaultMessage;

    OciError(HttpResponseStatus status, String defaultMessage) {
        this.code = name();
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    OciError(String code, HttpResponseStatus status, String defaultMessage) {
        this.code = code;
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    /** The code written into the error body. */
    public String code() {
        return code;
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    /** The code for a failure the store reported. */
    public static OciError of(StoreException.Failure failure) {
        return switch (failure) {
            case BLOB_UNKNOWN -> BLOB_UNKNOWN;
            case BLOB_UPLOAD_UNKNOWN -> BLOB_UPLOAD_UNKNOWN;
            case DIGEST_INVALID -> DIGEST_INVALID;
            case MANIFEST_BLOB_UNKNOWN -> MANIFEST_BLOB_UNKNOWN;
            case MANIFEST_INVALID -> MANIFEST_INVALID;
            case MANIFEST_UNKNOWN -> MANIFEST_UNKNOWN;
            case NAME_INVALID -> NAME_INVALID;
            case NAME_UNKNOWN -> NAME_UNKNOWN;
            case TAG_INVALID -> TAG_INVALID;
            case RANGE_INVALID -> CHUNK_OUT_OF_ORDER;
            case TOO_LARGE -> MANIFEST_TOO_LARGE;
            case PRECONDITION_FAILED -> PRECONDITION_FAILED;
        };
    }
}
