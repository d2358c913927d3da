package io.berth.gateway.auth.users;

import io.berth.gateway.auth.Principal;

import java.time.Instant;

/**
 * A user account as the API shows it: never its password hash.
 *
 * @param source where it signs in: {@code database} or {@code ldap}
 */
public record User(long id, String username, String email, boolean sysadmin, String source, Instant createdAt,
                   Instant updatedAt) {
    /** The user as permissions see them. */
    public Principal.User principal() {
        return new Principal.User(username, sysadmin);
    }
}
