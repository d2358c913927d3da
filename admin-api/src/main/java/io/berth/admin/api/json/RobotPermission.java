package io.berth.admin.api.json;

import java.util.List;

/** What a robot may do in one project ({@code *}: every project, for system robots): {@code pull}, {@code push}, {@code delete}. */
public record RobotPermission(String project, List<String> actions) {
}
