package io.berth.admin.api.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Jersey's own refusals (no such route, method not allowed, unsupported media type, a body that
 * could not be read) and the resources' {@code BadRequestException}s, in the one error body. Where
 * Jersey only says "HTTP 404 Not Found", the message says what to do instead.
 */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    private static final Logger LOG = LoggerFactory.getLogger(WebApplicationExceptionMapper.class);
    /** Jersey's default message, which says nothing the status does not. */
    private static final Pattern DEFAULT_MESSAGE = Pattern.compile("HTTP \\d{3} .*");

    @Context
    private UriInfo uri;
    @Context
    private Request request;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status < 400) {
            return original; // a redirect or a 304, not an error
        }
        if (status >= 500) {
            LOG.error("admin API request failed: {} {}", request.getMethod(), uri.getPath(), e);
            return ApiErrors.response(status, "the server failed to answer; the failure is in its log");
        }
        String message = e.getMessage() == null || DEFAULT_MESSAGE.matcher(e.getMessage()).matches()
                ? explain(status, original) : e.getMessage();
        Map<String, String> headers = new HashMap<>();
        for (String name : new String[] {HttpHeaders.ALLOW, HttpHeaders.RETRY_AFTER}) {
            String value = original.getHeaderString(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return ApiErrors.response(status, message, headers);
    }

    private String explain(int status, Response original) {
        String call = request.getMethod() + " /" + uri.getPath();
        return switch (status) {
            case 404 -> call + " is not an endpoint of this API: GET /api/v1/openapi.json lists them";
            case 405 -> call + " is not allowed: " + allowed(original);
            case 406 -> "this API answers in JSON only: accept application/json";
            case 415 -> "send the body as JSON (Content-Type: application/json)";
            case 400 -> "the request could not be read: send a JSON body as GET /api/v1/openapi.json describes";
            default -> "the request was refused (" + status + ")";
        };
    }

    private static String allowed(Response original) {
        String allow = original.getHeaderString(HttpHeaders.ALLOW);
        return allow == null ? "see GET /api/v1/openapi.json" : "this path allows " + allow;
    }
}
