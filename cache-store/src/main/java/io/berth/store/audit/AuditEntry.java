package io.berth.store.audit;

import io.berth.store.Caller;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One line of the audit log.
 *
 * @param id           its position (0 before it is written)
 * @param occurredAt   when, to the microsecond
 * @param who          who did it and from where
 * @param action       push, pull, delete, login, token, create, update
 * @param resourceType artifact, tag, user, robot, project, member
 * @param resource     what was acted on, e.g. {@code team/app:1.0}, {@code alice}
 * @param project      the project it happened in, or null
 * @param repository   the repository it happened in, or null
 * @param success      whether it was allowed and done
 * @param count        how many identical actions the line stands for (pulls); 1 otherwise
 * @param detail       a short note (why a sign-in failed, which role a member got), or null; never a secret
 */
public record AuditEntry(long id, Instant occurredAt, Caller who, String action, String resourceType, String resource,
                         String project, String repository, boolean success, int count, String detail) {
    public AuditEntry {
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(resource, "resource");
        occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
        if (detail != null && detail.length() > 1024) {
            detail = detail.substring(0, 1024);
        }
    }

    /** An action outside any repository (a sign-in, an account change), at {@code at}. */
    public static AuditEntry of(Instant at, Caller who, String action, String resourceType, String resource,
                                String project, boolean success, String detail) {
        return new AuditEntry(0, at, who, action, resourceType, resource, project, null, success, 1, detail);
    }
}
