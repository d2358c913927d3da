package io.berth.admin.api;

import io.berth.gateway.error.OciError;
import io.berth.store.StoreException;
import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Store failures as the admin API's one error shape, Dropwizard's {@code {"code","message","details"}}:
 * {@code code} is the HTTP status, {@code details} the registry's error code.
 */
public final class StoreExceptionMapper implements ExceptionMapper<StoreException> {
    @Override
    public Response toResponse(StoreException e) {
        int status = OciError.of(e.failure()).status().code(); // the one registry of statuses
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorMessage(status, e.getMessage(), e.failure().name()))
                .build();
    }
}
