package io.berth.store.event;

import io.berth.store.Caller;
import io.berth.store.meta.Transactions;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Reads the outbox in id order, and deletes what retention no longer keeps. Reads need no
 * lock: ids become visible in order (see {@link Outbox}), so {@code id > position} never skips
 * an event that commits later.
 */
public final class EventLog {
    private static final RowMapper<RegistryEvent> MAPPER = (rs, ctx) -> new RegistryEvent(
            rs.getLong("id"),
            EventType.valueOf(rs.getString("type")),
            rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
            rs.getString("repository"),
            rs.getString("digest"),
            rs.getString("media_type"),
            rs.getString("tag"),
            new Caller(rs.getString("actor"), Caller.Kind.valueOf(rs.getString("actor_kind")),
                    rs.getString("remote_address")),
            rs.getInt("count"),
            rs.getString("detail"));

    private final Transactions tx;

    public EventLog(Transactions tx) {
        this.tx = tx;
    }

    /** Up to {@code limit} events with ids above {@code position}, in id order. */
    public List<RegistryEvent> after(long position, int limit) {
        return tx.withHandle(h -> h.createQuery("SELECT id, occurred_at, type, repository, digest, media_type, tag,"
                        + " actor, actor_kind, remote_address, count, detail FROM event"
                        + " WHERE id > :position ORDER BY id LIMIT :limit")
                .bind("position", position)
                .bind("limit", limit)
                .map(MAPPER)
                .list());
    }

    /** The id of the last committed event (0 when there was none), whether or not retention kept it. */
    public long head() {
        return tx.withHandle(EventLog::head);
    }

    /** The last id handed out, as {@code handle} sees it (its own transaction's appends included). */
    static long head(Handle handle) {
        return handle.createQuery("SELECT last_id FROM event_counter WHERE id = 1").mapTo(Long.class).one();
    }

    /**
     * Deletes up to {@code limit} of the oldest events that occurred before {@code cutoff}, in one
     * short transaction; returns how many it deleted.
     */
    public int deleteOlderThan(Instant cutoff, int limit) {
        return tx.inTransaction(h -> h.createUpdate("DELETE FROM event WHERE id IN (SELECT id FROM event"
                        + " WHERE occurred_at < :cutoff ORDER BY occurred_at LIMIT :limit)")
                .bind("cutoff", cutoff)
                .bind("limit", limit)
                .execute());
    }
}
