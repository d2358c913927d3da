package io.berth.admin.api;

import io.berth.admin.api.json.Fields;
import io.berth.admin.api.json.RobotPermission;
import io.berth.gateway.auth.Action;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Robots' permissions and ids as the API writes them, read into what {@code Robots} takes. */
final class RobotPermissions {
    private RobotPermissions() {
    }

    /** {@code [{"project","actions":[…]}]} as actions per project; entries for one project add up. */
    static Map<String, Set<Action>> parse(List<RobotPermission> permissions) {
        Map<String, Set<Action>> parsed = new LinkedHashMap<>();
        for (RobotPermission permission : permissions) {
            if (permission == null) {
                throw new RegistryException(ErrorCode.INVALID_INPUT, "a permission is {\"project\": …, \"actions\": […]}");
            }
            String project = Fields.required(permission.project(), "permissions[].project");
            Set<Action> actions = parsed.computeIfAbsent(project, p -> EnumSet.noneOf(Action.class));
            for (String token : Fields.required(permission.actions(), "permissions[].actions")) {
                actions.add(Action.of(token).orElseThrow(() -> new RegistryException(ErrorCode.INVALID_INPUT,
                        "unknown action '" + token + "' for project '" + project + "': use pull, push or delete")));
            }
        }
        return parsed;
    }

    /** A robot's id from the path; one that is no number names no robot (404). */
    static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no robot with id '" + id + "': ids are"
                    + " numbers, GET /api/v1/robots lists them");
        }
    }
}
