package io.berth.admin.api.access;

import io.berth.gateway.auth.Principal;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;

/**
 * With {@code auth.enabled: false}: nobody signs in, and every caller may do whatever the API
 * offers, as anyone may push and pull on the registry port. Callers act as {@link #EVERYONE}, a
 * system admin to {@code Grants}, so that the resources decide the same way in both modes.
 */
@Priority(Priorities.AUTHENTICATION)
public final class OpenAccessFilter implements ContainerRequestFilter {
    /** Who every caller is while auth is off. */
    public static final Principal EVERYONE = new Principal.User("", true);

    @Context
    private HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request) {
        request.setSecurityContext(new Caller(EVERYONE, servletRequest.getRemoteAddr(), request.getSecurityContext() != null
                && request.getSecurityContext().isSecure(), null));
    }
}
