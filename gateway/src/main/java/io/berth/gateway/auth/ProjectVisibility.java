package io.berth.gateway.auth;

import java.util.Set;

/**
 * Which projects a caller sees in a listing, as {@link Grants#visibleProjects} decides it, in a
 * form a query can filter by: every project, or public ones plus those of a member and those named.
 *
 * @param all    every project (the rest does not matter)
 * @param member a user whose projects (as a member) are seen too; null for none
 * @param named  projects seen by name (a robot's)
 */
public record ProjectVisibility(boolean all, String member, Set<String> named) {
    public ProjectVisibility {
        named = Set.copyOf(named);
    }

    /** Every project: a system admin's view. */
    public static ProjectVisibility everything() {
        return new ProjectVisibility(true, null, Set.of());
    }
}
