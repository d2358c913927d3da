package io.berth.admin.api.errors;

import io.berth.store.error.RegistryException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Failures of the store and of identity (not found, conflict, weak password, sign-in refused,
 * throttled) as the admin API's error body, with the status their {@code ErrorCode} registers and
 * the headers they carry ({@code Retry-After}).
 */
public final class RegistryExceptionMapper implements ExceptionMapper<RegistryException> {
    @Override
    public Response toResponse(RegistryException e) {
        return ApiErrors.response(e.code().status(), e.getMessage(), e.headers());
    }
}
