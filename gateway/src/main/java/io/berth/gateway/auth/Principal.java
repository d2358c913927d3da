package io.berth.gateway.auth;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Who is asking, as far as permissions go: what {@link Grants} decides on. Authentication (a
 * password, a token, a directory) produces one; it carries no secret.
 */
public sealed interface Principal {
    /** A robot's permissions for every project: the key system robots use instead of a project's name. */
    String ALL_PROJECTS = "*";

    /** The name that audit records and tokens' {@code sub} carry; empty for anonymous. */
    String name();

    /** Nobody signed in: may read public projects, nothing else. */
    record Anonymous() implements Principal {
        @Override
        public String name() {
            return "";
        }
    }

    /**
     * A user account (database or directory); a system admin may do everything.
     *
     * @param groups the user's directory groups (DNs and names) as resolved at sign-in, through which
     *               they hold the roles of groups that are project members; empty for database users
     */
    record User(String name, boolean sysadmin, Set<String> groups) implements Principal {
        public User {
            groups = Set.copyOf(groups);
        }

        /** A user in no directory group. */
        public User(String name, boolean sysadmin) {
            this(name, sysadmin, Set.of());
        }
    }

    /**
     * A robot account ({@code robot$<project>+<name>} or, for a system robot, {@code robot$<name>}):
     * exactly the registry actions it was given, per project name or for {@link #ALL_PROJECTS}.
     */
    record Robot(String name, Map<String, Set<Action>> actions) implements Principal {
        public Robot {
            actions = Map.copyOf(actions);
        }

        /** The actions it was given in a project, directly or for all projects. */
        public Set<Action> actionsIn(String project) {
            Set<Action> own = actions.getOrDefault(project, Set.of());
            Set<Action> everywhere = actions.getOrDefault(ALL_PROJECTS, Set.of());
            if (everywhere.isEmpty()) {
                return own;
            }
            EnumSet<Action> all = EnumSet.noneOf(Action.class);
            all.addAll(own);
            all.addAll(everywhere);
            return all;
        }
    }
}
