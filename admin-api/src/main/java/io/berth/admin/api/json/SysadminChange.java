package io.berth.admin.api.json;

/** The body of {@code PUT /users/{name}/sysadmin}. */
public record SysadminChange(Boolean sysadmin) {
}
