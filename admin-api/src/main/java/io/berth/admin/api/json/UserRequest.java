package io.berth.admin.api.json;

/**
 * The body of {@code POST /users} ({@code username} and {@code password} required; {@code sysadmin}
 * only from a system admin) and of {@code PUT /users/{name}} ({@code email}).
 */
public record UserRequest(String username, String password, String email, Boolean sysadmin) {
}
