package io.berth.admin.api.access;

import io.berth.gateway.auth.Principal;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The principal a request was signed in as, kept in its {@link SecurityContext} by the sign-in
 * filter, for the resources to hand to {@code Grants}. (Jersey injects a proxy of the context, so
 * the principal travels as its user principal: {@link Signed}, anonymous callers included.)
 */
public final class Caller implements SecurityContext {
    private final Principal principal;
    private final String address;
    private final boolean secure;
    private final String scheme;

    Caller(Principal principal, String address, boolean secure, String scheme) {
        this.principal = principal;
        this.address = address;
        this.secure = secure;
        this.scheme = scheme;
    }

    /** Who is calling; fails when the sign-in filter did not run (a wiring mistake, not the client's). */
    public static Principal of(SecurityContext context) {
        return signed(context).principal();
    }

    /** Who is calling and from where, as the audit log records those who change things. */
    public static io.berth.store.Caller actor(SecurityContext context) {
        Signed signed = signed(context);
        Principal who = signed.principal();
        return switch (who) {
            case Principal.Anonymous a -> io.berth.store.Caller.anonymous(signed.address());
            case Principal.Robot r -> new io.berth.store.Caller(who.name(), io.berth.store.Caller.Kind.ROBOT,
                    signed.address());
            case Principal.User u when u.name().isEmpty() -> io.berth.store.Caller.anonymous(signed.address());
            case Principal.User u -> new io.berth.store.Caller(who.name(), io.berth.store.Caller.Kind.USER,
                    signed.address());
        };
    }

    private static Signed signed(SecurityContext context) {
        if (context.getUserPrincipal() instanceof Signed signed) {
            return signed;
        }
        throw new IllegalStateException("the admin API's sign-in filter did not run for this request");
    }

    @Override
    public java.security.Principal getUserPrincipal() {
        return new Signed(principal, address);
    }

    /**
     * The servlet world's principal for a Berth one; its name is empty for anonymous callers.
     *
     * @param address the client's address, or null
     */
    public record Signed(Principal principal, String address) implements java.security.Principal {
        @Override
        public String getName() {
            return principal.name();
        }
    }

    @Override
    public boolean isUserInRole(String role) {
        return false; // roles are per project: ask Grants
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return scheme;
    }
}
