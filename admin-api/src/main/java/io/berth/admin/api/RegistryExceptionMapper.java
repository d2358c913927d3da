package io.berth.admin.api;

import io.berth.store.error.RegistryException;
import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Registry failures as the admin API's one error shape, Dropwizard's {@code {"code","message","details"}}:
 * {@code code} is the HTTP status, {@code details} the registry's error code.
 */
public final class RegistryExceptionMapper implements ExceptionMapper<RegistryException> {
    @Override
    public Response toResponse(RegistryException e) {
        int status = e.code().status(); // the one registry of statuses
        Response.ResponseBuilder response = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorMessage(status, e.getMessage(), e.code().name()));
        e.headers().forEach(response::header);
        return response.build();
    }
}
