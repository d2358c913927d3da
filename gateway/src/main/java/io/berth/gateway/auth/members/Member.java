package io.berth.gateway.auth.members;

import io.berth.gateway.auth.Role;

/**
 * A project's member: a user (by name) or a directory group, with a role.
 *
 * @param username the user's name, or null for a group
 * @param group    the group's DN or name, or null for a user
 */
public record Member(long id, String username, String group, Role role) {
}
