package io.berth.admin.api.json;

import java.util.List;

/**
 * The body of {@code POST /robots} ({@code name} and {@code permissions} required; without
 * {@code project} a system robot; {@code expiresInDays} -1 or absent for never) and of
 * {@code PUT /robots/{id}} ({@code description}, {@code disabled}, {@code permissions}: each
 * changed when given).
 */
public record RobotRequest(String name, String project, String description, Integer expiresInDays, Boolean disabled,
                           List<RobotPermission> permissions) {
}
