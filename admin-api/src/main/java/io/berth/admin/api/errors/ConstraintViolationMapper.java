package io.berth.admin.api.errors;

import io.dropwizard.jersey.validation.ConstraintMessage;
import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.util.stream.Collectors;

/**
 * Bean-validation refusals ({@code @NotNull} bodies and fields) as 400 {@code INVALID_INPUT}, like
 * every other invalid input of this API (Dropwizard would answer 422), naming each violation.
 */
public final class ConstraintViolationMapper implements ExceptionMapper<JerseyViolationException> {
    @Override
    public Response toResponse(JerseyViolationException e) {
        String message = e.getConstraintViolations().stream()
                .map(v -> describe(v, e))
                .sorted()
                .collect(Collectors.joining("; "));
        return ApiErrors.response(400, message);
    }

    private static String describe(ConstraintViolation<?> violation, JerseyViolationException e) {
        String described = ConstraintMessage.getMessage(violation, e.getInvocable());
        return described.equals("The request body must not be null") || described.equals("The request body may not be null")
                ? "a JSON body is required: see GET /api/v1/openapi.json" : described;
    }
}
