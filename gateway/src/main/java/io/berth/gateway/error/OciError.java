package io.berth.gateway.error;

import io.berth.store.StoreException;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Every error code a client can see, registered once with its HTTP status. The codes are those
 * of the OCI distribution spec, plus the ones Distribution uses where the spec names none.
 */
public enum OciError {
    BLOB_UNKNOWN(HttpResponseStatus.NOT_FOUND, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(HttpResponseStatus.BAD_REQUEST, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(HttpResponseStatus.NOT_FOUND, "blob upload unknown to registry"),
    DIGEST_INVALID(HttpResponseStatus.BAD_REQUEST, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(HttpResponseStatus.NOT_FOUND, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(HttpResponseStatus.BAD_REQUEST, "manifest invalid"),
    MANIFEST_UNKNOWN(HttpResponseStatus.NOT_FOUND, "manifest unknown to registry"),
    MANIFEST_TOO_LARGE(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "manifest exceeds the size limit"),
    NAME_INVALID(HttpResponseStatus.BAD_REQUEST, "invalid repository name"),
    NAME_UNKNOWN(HttpResponseStatus.NOT_FOUND, "repository name not known to registry"),
    SIZE_INVALID(HttpResponseStatus.BAD_REQUEST, "provided length did not match content length"),
    TAG_INVALID(HttpResponseStatus.BAD_REQUEST, "manifest tag did not match URI"),
    RANGE_INVALID(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "invalid content range"),
    UNAUTHORIZED(HttpResponseStatus.UNAUTHORIZED, "authentication required"),
    DENIED(HttpResponseStatus.FORBIDDEN, "requested access to the resource is denied"),
    UNSUPPORTED(HttpResponseStatus.METHOD_NOT_ALLOWED, "the operation is unsupported"),
    PAGINATION_NUMBER_INVALID(HttpResponseStatus.BAD_REQUEST, "invalid number of results requested"),
    NOT_FOUND(HttpResponseStatus.NOT_FOUND, "no such endpoint"),
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"),
    TOOMANYREQUESTS(HttpResponseStatus.TOO_MANY_REQUESTS, "too many requests"),
    UNAVAILABLE(HttpResponseStatus.SERVICE_UNAVAILABLE, "the registry is unavailable"),
    INTERNAL(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");

    private final HttpResponseStatus status;
    private final String defaultMessage;

    OciError(HttpResponseStatus status, String defaultMessage) {
        this.status = status;
        this.defaultMessage = defaultMessage;
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
            case BLOB_UPLOAD_INVALID -> BLOB_UPLOAD_INVALID;
            case BLOB_UPLOAD_UNKNOWN -> BLOB_UPLOAD_UNKNOWN;
            case DIGEST_INVALID -> DIGEST_INVALID;
            case MANIFEST_BLOB_UNKNOWN -> MANIFEST_BLOB_UNKNOWN;
            case MANIFEST_INVALID -> MANIFEST_INVALID;
            case MANIFEST_UNKNOWN -> MANIFEST_UNKNOWN;
            case NAME_INVALID -> NAME_INVALID;
            case NAME_UNKNOWN -> NAME_UNKNOWN;
            case SIZE_INVALID -> SIZE_INVALID;
            case TAG_INVALID -> TAG_INVALID;
            case RANGE_INVALID -> RANGE_INVALID;
            case TOO_LARGE -> MANIFEST_TOO_LARGE;
            case UNSUPPORTED -> UNSUPPORTED;
        };
    }
}
