package io.berth.gateway.auth.robots;

import io.berth.gateway.auth.Action;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A robot account as the API shows it: never its secret.
 *
 * @param name        {@code robot$<project>+<name>}, or {@code robot$<name>} for a system robot
 * @param project     the project it belongs to; null for a system robot
 * @param expiresAt   when it stops working; null for never
 * @param permissions registry actions per project name ({@code *}: every project)
 */
public record Robot(long id, String name, String project, String description, Instant expiresAt, boolean disabled,
                    Map<String, Set<Action>> permissions, Instant createdAt) {
    public Robot {
        permissions = Map.copyOf(permissions);
    }

    /** Whether it may sign in at {@code now}: enabled and not expired. */
    public boolean usableAt(Instant now) {
        return !disabled && (expiresAt == null || now.isBefore(expiresAt));
    }
}
