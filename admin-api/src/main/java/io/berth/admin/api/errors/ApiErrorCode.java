package io.berth.admin.api.errors;

/**
 * The codes of the admin API's error bodies, registered once with their HTTP status. Every
 * refusal, whether a resource, the sign-in filter, Jersey or Jackson produced it, carries the code
 * of its status.
 */
public enum ApiErrorCode {
    INVALID_INPUT(400),
    UNAUTHORIZED(401),
    DENIED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    NOT_ACCEPTABLE(406),
    CONFLICT(409),
    PRECONDITION_FAILED(412),
    TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    TOO_MANY_REQUESTS(429),
    INTERNAL(500),
    UNAVAILABLE(503);

    private final int status;

    ApiErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /**
     * The code of a status: its own when registered, else {@link #INVALID_INPUT} for another 4xx,
     * {@link #UNAVAILABLE} for another 5xx of a busy or full server (507) and {@link #INTERNAL} for the rest.
     */
    public static ApiErrorCode of(int status) {
        for (ApiErrorCode code : values()) {
            if (code.status == status) {
                return code;
            }
        }
        if (status >= 400 && status < 500) {
            return INVALID_INPUT;
        }
        return status == 507 ? UNAVAILABLE : INTERNAL;
    }
}
