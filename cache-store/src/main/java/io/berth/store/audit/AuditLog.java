package io.berth.store.audit;

import io.berth.store.Caller;
import io.berth.store.meta.Transactions;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log: written by the audit consumer of the event outbox, by sign-ins and the token
 * service, and by admin changes inside their own transactions; read newest first with filters
 * and pages. Methods block on the database.
 */
public final class AuditLog {
    private static final String COLUMNS = "id, occurred_at, actor, actor_kind, remote_address, action, resource_type,"
            + " resource, project, repository, result, count, detail";
    private static final RowMapper<AuditEntry> MAPPER = (rs, ctx) -> new AuditEntry(
            rs.getLong("id"),
            rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
            new Caller(rs.getString("actor"), Caller.Kind.valueOf(rs.getString("actor_kind")),
                    rs.getString("remote_address")),
            rs.getString("action"),
            rs.getString("resource_type"),
            rs.getString("resource"),
            rs.getString("project"),
            rs.getString("repository"),
            "success".equals(rs.getString("result")),
            rs.getInt("count"),
            rs.getString("detail"));

    private final Transactions tx;

    public AuditLog(Transactions tx) {
        this.tx = tx;
    }

    /** Writes {@code entry} in a transaction of its own. */
    public void record(AuditEntry entry) {
        tx.useTransaction(h -> record(h, entry));
    }

    /** Writes {@code entry} in the caller's transaction, so that it stands or falls with the change it records. */
    public static void record(Handle handle, AuditEntry entry) {
        insert(handle, entry, null);
    }

    /**
     * Writes the line for the outbox event {@code eventId} unless it is there already (events may be
     * delivered more than once).
     */
    static void recordEvent(Handle handle, AuditEntry entry, long eventId) {
        boolean known = handle.createQuery("SELECT COUNT(*) FROM audit_log WHERE event_id = :id").bind("id", eventId)
                .mapTo(Integer.class).one() > 0;
        if (!known) {
            insert(handle, entry, eventId);
        }
    }

    private static void insert(Handle handle, AuditEntry e, Long eventId) {
        handle.createUpdate("INSERT INTO audit_log (occurred_at, actor, actor_kind, remote_address, action,"
                        + " resource_type, resource, project, repository, result, count, detail, event_id) VALUES"
                        + " (:at, :actor, :kind, :address, :action, :type, :resource, :project, :repository, :result,"
                        + " :count, :detail, :eventId)")
                .bind("at", e.occurredAt())
                .bind("actor", e.who().subject())
                .bind("kind", e.who().kind().name())
                .bind("address", e.who().remoteAddress())
                .bind("action", e.action())
                .bind("type", e.resourceType())
                .bind("resource", e.resource())
                .bind("project", e.project())
                .bind("repository", e.repository())
                .bind("result", e.success() ? "success" : "failure")
                .bind("count", e.count())
                .bind("detail", e.detail())
                .bind("eventId", eventId)
                .execute();
    }

    /** A page of the lines matching {@code query}, newest first, with how many match in all. */
    public Page find(AuditQuery query, int page, int pageSize) {
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        condition(where, params, "actor", query.actor());
        condition(where, params, "project", query.project());
        condition(where, params, "repository", query.repository());
        condition(where, params, "action", query.action());
        if (query.success() != null) {
            condition(where, params, "result", query.success() ? "success" : "failure");
        }
        if (query.from() != null) {
            where.add("occurred_at >= :from");
            params.put("from", query.from());
        }
        if (query.to() != null) {
            where.add("occurred_at < :to");
            params.put("to", query.to());
        }
        String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        return tx.withHandle(h -> {
            long total = bind(h.createQuery("SELECT COUNT(*) FROM audit_log" + filter), params).mapTo(Long.class).one();
            List<AuditEntry> entries = bind(h.createQuery("SELECT " + COLUMNS + " FROM audit_log" + filter
                    + " ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset"), params)
                    .bind("limit", pageSize)
                    .bind("offset", (long) (page - 1) * pageSize)
                    .map(MAPPER).list();
            return new Page(entries, total);
        });
    }

    /** Deletes up to {@code limit} of the oldest lines from before {@code cutoff}; returns how many. */
    public int deleteOlderThan(Instant cutoff, int limit) {
        return tx.inTransaction(h -> h.createUpdate("DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log"
                        + " WHERE occurred_at < :cutoff ORDER BY occurred_at LIMIT :limit)")
                .bind("cutoff", cutoff)
                .bind("limit", limit)
                .execute());
    }

    private static void condition(List<String> where, Map<String, Object> params, String column, String value) {
        if (value != null) {
            where.add(column + " = :" + column);
            params.put(column, value);
        }
    }

    private static Query bind(Query query, Map<String, Object> params) {
        params.forEach(query::bind);
        return query;
    }

    /** One page of lines and the number of lines matching in all. */
    public record Page(List<AuditEntry> entries, long total) {
    }
}
