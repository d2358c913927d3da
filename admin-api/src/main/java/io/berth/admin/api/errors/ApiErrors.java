package io.berth.admin.api.errors;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Builds every error response of the admin API: the status, the {@link ErrorBody}, and the headers it needs. */
public final class ApiErrors {
    /** The challenge every 401 carries: sign in with a user's or a robot's name and password (or secret). */
    public static final String CHALLENGE = "Basic realm=\"berth\"";

    private ApiErrors() {
    }

    /**
     * An error response with {@code status} and its code; a 401 always challenges for Basic
     * credentials (a Bearer token is accepted too, but no client starts with one).
     *
     * @param headers what else it carries ({@code Retry-After}, {@code Allow})
     */
    public static Response response(int status, String message, Map<String, String> headers) {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(ApiErrorCode.of(status), message));
        headers.forEach(response::header);
        if (status == 401 && !headers.containsKey(HttpHeaders.WWW_AUTHENTICATE)) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        }
        return response.build();
    }

    public static Response response(int status, String message) {
        return response(status, message, Map.of());
    }
}
