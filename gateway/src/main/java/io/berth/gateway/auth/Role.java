package io.berth.gateway.auth;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static io.berth.gateway.auth.Permission.DELETE;
import static io.berth.gateway.auth.Permission.DELETE_PROJECT;
import static io.berth.gateway.auth.Permission.LIST_ARTIFACTS;
import static io.berth.gateway.auth.Permission.LIST_MEMBERS;
import static io.berth.gateway.auth.Permission.LIST_REPOSITORIES;
import static io.berth.gateway.auth.Permission.LIST_ROBOTS;
import static io.berth.gateway.auth.Permission.MANAGE_MEMBERS;
import static io.berth.gateway.auth.Permission.MANAGE_ROBOTS;
import static io.berth.gateway.auth.Permission.PULL;
import static io.berth.gateway.auth.Permission.PUSH;
import static io.berth.gateway.auth.Permission.READ_LOGS;
import static io.berth.gateway.auth.Permission.UPDATE_PROJECT;

/**
 * A member's role in a project, as Harbor names them so that users bring their habits. Each role
 * holds what the one below it holds, and more:
 *
 * <table>
 * <caption>What each role adds</caption>
 * <tr><th>role</th><th>adds</th></tr>
 * <tr><td>{@code limitedGuest}</td><td>pull, list repositories and artifacts</td></tr>
 * <tr><td>{@code guest}</td><td>list members, read the project's logs</td></tr>
 * <tr><td>{@code developer}</td><td>push (creating repositories)</td></tr>
 * <tr><td>{@code maintainer}</td><td>delete artifacts, tags and repositories; list robots</td></tr>
 * <tr><td>{@code projectAdmin}</td><td>manage members and robots, change the project's settings, delete it</td></tr>
 * </table>
 */
public enum Role {
    LIMITED_GUEST("limitedGuest", null, PULL, LIST_REPOSITORIES, LIST_ARTIFACTS),
    GUEST("guest", LIMITED_GUEST, LIST_MEMBERS, READ_LOGS),
    DEVELOPER("developer", GUEST, PUSH),
    MAINTAINER("maintainer", DEVELOPER, DELETE, LIST_ROBOTS),
    PROJECT_ADMIN("projectAdmin", MAINTAINER, MANAGE_MEMBERS, MANAGE_ROBOTS, UPDATE_PROJECT, DELETE_PROJECT);

    private final String wireName;
    private final Set<Permission> permissions;

    Role(String wireName, Role below, Permission... adds) {
        this.wireName = wireName;
        EnumSet<Permission> all = below == null ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(below.permissions);
        all.addAll(Arrays.asList(adds));
        this.permissions = Collections.unmodifiableSet(all);
    }

    /** The role as the API and the database write it ({@code projectAdmin}, {@code developer}, …). */
    public String wireName() {
        return wireName;
    }

    /** Everything a member with this role may do in the project. */
    public Set<Permission> permissions() {
        return permissions;
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }

    /** The role of a wire name; an unknown name is a client's mistake that lists the names there are. */
    public static Role parse(String wireName) {
        for (Role role : values()) {
            if (role.wireName.equals(wireName)) {
                return role;
            }
        }
        throw new RegistryException(ErrorCode.BAD_REQUEST, "unknown role '" + wireName + "': use one of "
                + Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", ")));
    }
}
