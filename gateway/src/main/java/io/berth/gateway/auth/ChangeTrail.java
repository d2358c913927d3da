package io.berth.gateway.auth;

import io.berth.store.Caller;
import io.berth.store.audit.AuditEntry;
import io.berth.store.audit.AuditLog;
import org.jdbi.v3.core.Handle;

import java.time.Clock;

/**
 * Who changes accounts, projects, members and robots, written into the audit log inside the
 * transaction of each change, so that a change and its line stand or fall together. The services
 * ({@code Users}, {@code Members}, {@code Robots}, {@code Projects}) record as Berth itself unless
 * asked through {@code as(caller)}, as the admin API does for the signed-in caller.
 *
 * @param actor who makes the changes
 */
public record ChangeTrail(Caller actor, Clock clock) {
    /** Berth itself: the first start's admin, accounts created at a directory sign-in. */
    public static ChangeTrail system(Clock clock) {
        return new ChangeTrail(Caller.system("berth"), clock);
    }

    /** The same trail for changes made by {@code who}. */
    public ChangeTrail by(Caller who) {
        return new ChangeTrail(who, clock);
    }

    /**
     * Writes a line for a change in {@code handle}'s transaction.
     *
     * @param action       create, update or delete
     * @param resourceType user, robot, project or member
     * @param resource     the name of what changed
     * @param project      the project it is in, or null
     * @param detail       what changed, never a secret; or null
     */
    public void record(Handle handle, String action, String resourceType, String resource, String project,
                       String detail) {
        AuditLog.record(handle, AuditEntry.of(clock.instant(), actor, action, resourceType, resource, project, true,
                detail));
    }
}
