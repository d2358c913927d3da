package io.berth.admin.api.json;

/**
 * The body of {@code POST /projects/{name}/members}: a {@code username} or a directory {@code group}
 * (one of them) and a {@code role}; of {@code PUT …/members/{user}}: the {@code role} only.
 */
public record MemberRequest(String username, String group, String role) {
}
