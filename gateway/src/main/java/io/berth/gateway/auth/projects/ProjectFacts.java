package io.berth.gateway.auth.projects;

import java.time.Instant;

/**
 * What access decisions need to know of a project.
 *
 * @param isPublic  whether anyone may pull from it
 * @param createdAt when it was (last) created: a token issued before then is for an older project
 *                  of the same name and grants nothing in this one
 */
public record ProjectFacts(long id, String name, boolean isPublic, Instant createdAt) {
}
