package io.berth.admin.api;

import io.berth.admin.LdapAuthSettings;
import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.Refusals;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.ldap.LdapDirectory;
import io.berth.gateway.auth.ldap.LdapPing;
import io.berth.gateway.auth.ldap.LdapSettings;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code /api/v1/ldap/ping}: checks directory settings step by step (connect, bind, base DNs, the
 * user filter), for system admins. Without a body it checks the directory Berth signs users in
 * with; with one (the keys of {@code auth.ldap}) it checks those settings before they are saved,
 * as Harbor's ping does. The answer is 200 whether the check passed or not: {@code ok} says which,
 * and the last check what to fix. Neither the answer nor a refusal repeats the bind password.
 */
@Path("/api/v1/ldap")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class LdapResource {
    private final Optional<LdapDirectory> directory;

    /** @param directory the directory users sign in with ({@code auth.mode: ldap}), or empty */
    public LdapResource(Optional<LdapDirectory> directory) {
        this.directory = directory;
    }

    @POST
    @Path("/ping")
    public LdapPing ping(@Valid LdapAuthSettings body, @Context SecurityContext security) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayCheckDirectory(who), who, "check the directory settings");
        if (body == null) {
            return directory.map(LdapDirectory::ping).orElseThrow(() -> new RegistryException(ErrorCode.INVALID_INPUT,
                    "ldap is not configured (auth.mode is database): send the settings to check in the body, with"
                            + " the keys of auth.ldap (url, baseDn, bindDn, bindPassword, …)"));
        }
        try {
            return LdapPing.run(settings(body));
        } catch (IllegalArgumentException e) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, e.getMessage());
        }
    }

    /**
     * The settings of the body; without a bind password, the configured one when the body names the
     * same servers and service account (so that an admin need not type it again, and it is never
     * sent to a server it was not meant for).
     */
    private LdapSettings settings(LdapAuthSettings body) {
        if (body.bindPassword == null || body.bindPassword.isEmpty()) {
            directory.map(LdapDirectory::settings)
                    .filter(saved -> saved.urls().equals(body.urls()) && saved.bindDn() != null
                            && Objects.equals(saved.bindDn(), body.bindDn == null ? null : body.bindDn.trim()))
                    .ifPresent(saved -> body.bindPassword = saved.bindPassword());
        }
        return body.toSettings();
    }
}
