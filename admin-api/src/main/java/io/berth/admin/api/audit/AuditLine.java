package io.berth.admin.api.audit;

import io.berth.store.audit.AuditEntry;

import java.time.Instant;
import java.util.Locale;

/**
 * A line of the audit log as the API shows it.
 *
 * @param id           its position in the log
 * @param time         when it happened
 * @param user         who: a user's or a robot's name, {@code anonymous}, or the registry's own task
 * @param userKind     {@code user}, {@code robot}, {@code anonymous} or {@code system}
 * @param address      the client's address, or null
 * @param action       push, pull, delete, login, token, …
 * @param resourceType artifact, tag, repository, user, robot, …
 * @param resource     what was acted on, e.g. {@code team/app:1.0} or {@code alice}
 * @param project      the project it happened in, or null
 * @param repository   the repository it happened in, or null
 * @param result       {@code success} or {@code failure}
 * @param count        how many identical actions the line stands for (pulls are counted); 1 otherwise
 * @param detail       a short note (why a sign-in failed), or null
 */
public record AuditLine(long id, Instant time, String user, String userKind, String address, String action,
                        String resourceType, String resource, String project, String repository, String result,
                        int count, String detail) {
    static AuditLine of(AuditEntry e) {
        return new AuditLine(e.id(), e.occurredAt(), e.who().subject(), e.who().kind().name().toLowerCase(Locale.ROOT),
                e.who().remoteAddress(), e.action(), e.resourceType(), e.resource(), e.project(), e.repository(),
                e.success() ? "success" : "failure", e.count(), e.detail());
    }
}
