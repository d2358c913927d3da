package io.berth.admin.api.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Anything else: a bug or a failed dependency, not the client's doing. Logged with its stack trace
 * under an id that the 500 repeats, so an operator finds it; the client sees neither the trace nor
 * the exception's message.
 */
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Context
    private UriInfo uri;
    @Context
    private Request request;

    @Override
    public Response toResponse(Throwable e) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("admin API request {} {} failed (error id {})", request.getMethod(), uri.getPath(), id, e);
        return ApiErrors.response(500, "the server failed (error id " + id + ", in its log); try again or report it");
    }
}
