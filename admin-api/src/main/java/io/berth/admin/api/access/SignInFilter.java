package io.berth.admin.api.access;

import io.berth.gateway.auth.Authenticator;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.token.Tokens;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

import java.lang.reflect.Method;

/**
 * Signs every admin API request in before its resource runs: {@code Basic} credentials of a user
 * or a robot (through the {@link Authenticator}, so failed sign-ins are throttled: 429 with
 * {@code Retry-After}), or {@code Bearer} with a registry token of this registry, which stands for
 * its subject's account as it is now (a deleted or disabled account's token buys nothing). Without
 * credentials the caller is anonymous and may only reach endpoints marked {@link PermitAnonymous};
 * elsewhere they get 401 with a Basic challenge. Health and metrics are servlets outside Jersey, so
 * this never runs for them.
 */
@Priority(Priorities.AUTHENTICATION)
public final class SignInFilter implements ContainerRequestFilter {
    private final Authenticator authenticator;
    private final Tokens tokens;

    @Context
    private ResourceInfo resource;
    @Context
    private HttpServletRequest servletRequest;

    public SignInFilter(Authenticator authenticator, Tokens tokens) {
        this.authenticator = authenticator;
        this.tokens = tokens;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Principal principal = signIn(authorization);
        if (principal instanceof Principal.Anonymous && !permitsAnonymous()) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "sign in: send Basic credentials (a user's or a"
                    + " robot's) or a Bearer token from this registry's token service");
        }
        SecurityContext original = request.getSecurityContext();
        request.setSecurityContext(new Caller(principal, servletRequest.getRemoteAddr(),
                original != null && original.isSecure(),
                authorization == null ? null : authorization.split(" ", 2)[0]));
    }

    private Principal signIn(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Principal.Anonymous();
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        if (scheme.equalsIgnoreCase("Bearer")) {
            String subject = tokens.verify(authorization.substring(space + 1).trim()).subject();
            return subject.isEmpty() ? new Principal.Anonymous() : authenticator.account(subject);
        }
        return authenticator.basic(authorization, servletRequest.getRemoteAddr()); // 401 for another scheme
    }

    private boolean permitsAnonymous() {
        Method method = resource.getResourceMethod();
        return method != null && method.isAnnotationPresent(PermitAnonymous.class);
    }
}
