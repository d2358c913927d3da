package io.berth.store.audit;

import io.berth.store.event.EventConsumer;
import io.berth.store.event.RegistryEvent;
import io.berth.store.meta.Transactions;

import java.util.List;

/**
 * Copies the registry's events (pushes, pulls, deletes, label changes) from the outbox into the audit log, from
 * the oldest event retention kept. A batch is written in one transaction; an event delivered again
 * is not written twice.
 */
public final class AuditConsumer implements EventConsumer {
    public static final String NAME = "audit-log";

    private final Transactions tx;

    public AuditConsumer(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Start start() {
        return Start.BEGINNING;
    }

    @Override
    public void accept(List<RegistryEvent> batch) {
        tx.useTransaction(h -> batch.forEach(event -> AuditLog.recordEvent(h, entry(event), event.id())));
    }

    /**
     * The audit line for an event. A push or pull by tag names the tag as its resource and the
     * digest the tag stood for as its detail: tags move (a proxy's with its upstream), and the log
     * must say which content was pushed or served. A label change is an update of the artifact,
     * the label named in the detail.
     */
    static AuditEntry entry(RegistryEvent e) {
        String project = e.repository().contains("/") ? e.repository().substring(0, e.repository().indexOf('/'))
                : e.repository();
        String reference = e.tag() != null ? e.repository() + ":" + e.tag() : e.repository() + "@" + e.digest();
        String taggedDigest = e.tag() != null ? e.digest() : null;
        return switch (e.type()) {
            case PUSHED -> line(e, "push", "artifact", reference, project, taggedDigest);
            case PULLED -> line(e, "pull", "artifact", reference, project, taggedDigest);
            case TAG_DELETED -> line(e, "delete", "tag", e.repository() + ":" + e.tag(), project,
                    e.digest() == null ? null : "was " + e.digest());
            case DELETED -> line(e, "delete", "artifact", e.repository() + "@" + e.digest(), project, null);
            case LABEL_ADDED -> line(e, "update", "artifact", e.repository() + "@" + e.digest(), project,
                    "label '" + e.label() + "' added");
            case LABEL_REMOVED -> line(e, "update", "artifact", e.repository() + "@" + e.digest(), project,
                    "label '" + e.label() + "' removed");
        };
    }

    private static AuditEntry line(RegistryEvent e, String action, String type, String resource, String project,
                                   String detail) {
        return new AuditEntry(0, e.occurredAt(), e.caller(), action, type, resource, project, e.repository(), true,
                e.count(), detail);
    }
}
