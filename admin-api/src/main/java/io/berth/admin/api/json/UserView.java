package io.berth.admin.api.json;

import io.berth.gateway.auth.users.User;

import java.time.Instant;

/** A user as the API shows it: never a password or its hash. */
public record UserView(long id, String username, String email, boolean sysadmin, String source, Instant createdAt,
                       Instant updatedAt) {
    public static UserView of(User user) {
        return new UserView(user.id(), user.username(), user.email(), user.sysadmin(), user.source(), user.createdAt(),
                user.updatedAt());
    }
}
