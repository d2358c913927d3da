package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.robots.Robot;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A robot account as the API shows it. Its {@code secret} is there only in the answer that created
 * or rotated it; the registry keeps nothing it could show again.
 */
public record RobotView(long id, String name, String project, String description, Instant expiresAt, boolean disabled,
                        List<RobotPermission> permissions, Instant createdAt,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {
    public static RobotView of(Robot robot) {
        return of(robot, null);
    }

    /** The robot with the secret it was just given. */
    public static RobotView of(Robot robot, String secret) {
        List<RobotPermission> permissions = robot.permissions().entrySet().stream()
                .map(e -> new RobotPermission(e.getKey(), e.getValue().stream().map(Action::token).sorted().toList()))
                .sorted(Comparator.comparing(RobotPermission::project))
                .toList();
        return new RobotView(robot.id(), robot.name(), robot.project(), robot.description(), robot.expiresAt(),
                robot.disabled(), permissions, robot.createdAt(), secret);
    }
}
