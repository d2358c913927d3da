package io.berth.gateway.auth;

/**
 * What may be done in a project. Roles ({@link Role}) and robot permissions are sets of these;
 * {@link Grants} is the one place that decides which a caller holds.
 */
public enum Permission {
    /** Read manifests, blobs, tags and referrers (the registry's {@code pull}). */
    PULL,
    /** List the project's repositories. */
    LIST_REPOSITORIES,
    /** List the artifacts and tags of its repositories. */
    LIST_ARTIFACTS,
    /** List the project's members. */
    LIST_MEMBERS,
    /** Read the project's audit log. */
    READ_LOGS,
    /** Upload blobs, push manifests and tags, creating repositories (the registry's {@code push}). */
    PUSH,
    /** Delete artifacts, tags and repositories (the registry's {@code delete}). */
    DELETE,
    /** List the project's robot accounts. */
    LIST_ROBOTS,
    /** Add, change and remove members. */
    MANAGE_MEMBERS,
    /** Create, change and remove the project's robot accounts. */
    MANAGE_ROBOTS,
    /** Change the project's settings (visibility, later proxy and quota). */
    UPDATE_PROJECT,
    /** Delete the project. */
    DELETE_PROJECT
}
