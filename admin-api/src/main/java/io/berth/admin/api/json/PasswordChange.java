package io.berth.admin.api.json;

/** The body of {@code PUT /users/{name}/password}: the old password (unless an admin sets someone else's) and the new one. */
public record PasswordChange(String oldPassword, String newPassword) {
}
