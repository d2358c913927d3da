package io.berth.store.audit;

import java.time.Instant;

/**
 * What to look for in the audit log; every field is optional (null: any).
 *
 * @param actor      who
 * @param project    in which project
 * @param repository in which repository
 * @param action     push, pull, delete, login, ...
 * @param success    only successes (true) or only failures (false)
 * @param from       at or after
 * @param to         before
 */
public record AuditQuery(String actor, String project, String repository, String action, Boolean success,
                         Instant from, Instant to) {
    /** Everything. */
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null, null);
    }

    /** This query limited to {@code project}. */
    public AuditQuery inProject(String name) {
        return new AuditQuery(actor, name, repository, action, success, from, to);
    }
}
