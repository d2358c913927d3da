package io.berth.store.event;

import io.berth.store.meta.Transactions;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code event_cursor} rows: each consumer's position and its lease. Every write is a
 * conditional UPDATE, which both databases apply atomically to the one row, so instances
 * sharing a database agree on who holds a lease without any other lock. Lease times come from
 * the instances' clocks: keep them in sync (NTP) to well within the lease.
 */
final class EventCursors {
    /** A cursor row as stored. */
    record Cursor(long position, String owner, Instant leaseUntil) {
    }

    private final Transactions tx;

    EventCursors(Transactions tx) {
        this.tx = tx;
    }

    /**
     * Creates {@code name}'s cursor at {@code position}; an existing cursor is left as it is. Two
     * instances creating it at once: the loser's unique violation is retried by
     * {@link Transactions} and then finds the row.
     */
    void create(String name, long position, Instant now) {
        tx.useTransaction(h -> h.createUpdate("MERGE INTO event_cursor c"
                        + " USING (VALUES (CAST(:name AS VARCHAR(128)))) AS s(name) ON c.name = s.name"
                        + " WHEN NOT MATCHED THEN INSERT (name, position, updated_at) VALUES (s.name, :position, :now)")
                .bind("name", name)
                .bind("position", position)
                .bind("now", now)
                .execute());
    }

    /**
     * Takes or renews {@code owner}'s lease on {@code name} until {@code leaseUntil}, when the
     * lease is free, expired or already {@code owner}'s; returns the position then, or empty when
     * another owner holds the lease.
     */
    OptionalLong claim(String name, String owner, Instant now, Instant leaseUntil) {
        return tx.inTransaction(h -> {
            int claimed = h.createUpdate("UPDATE event_cursor SET owner = :owner, lease_until = :leaseUntil,"
                            + " updated_at = :now WHERE name = :name"
                            + " AND (owner IS NULL OR owner = :owner OR lease_until < :now)")
                    .bind("name", name)
                    .bind("owner", owner)
                    .bind("leaseUntil", leaseUntil)
                    .bind("now", now)
                    .execute();
            if (claimed == 0) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(h.createQuery("SELECT position FROM event_cursor WHERE name = :name")
                    .bind("name", name).mapTo(Long.class).one());
        });
    }

    /**
     * Moves {@code name} to {@code position} and renews the lease, only while {@code owner} holds
     * it; false when another instance has taken it over (its lease had expired).
     */
    boolean advance(String name, String owner, long position, Instant now, Instant leaseUntil) {
        return tx.inTransaction(h -> h.createUpdate("UPDATE event_cursor SET position = :position,"
                        + " lease_until = :leaseUntil, updated_at = :now WHERE name = :name AND owner = :owner")
                .bind("name", name)
                .bind("owner", owner)
                .bind("position", position)
                .bind("leaseUntil", leaseUntil)
                .bind("now", now)
                .execute()) == 1;
    }

    /** Gives up {@code owner}'s lease on {@code name}, if it still holds it. */
    void release(String name, String owner) {
        tx.useTransaction(h -> h.createUpdate("UPDATE event_cursor SET owner = NULL, lease_until = NULL"
                        + " WHERE name = :name AND owner = :owner")
                .bind("name", name)
                .bind("owner", owner)
                .execute());
    }

    /** {@code name}'s cursor, if it exists. */
    Optional<Cursor> find(String name) {
        return tx.withHandle(h -> h.createQuery("SELECT position, owner, lease_until FROM event_cursor"
                        + " WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> {
                    OffsetDateTime leaseUntil = rs.getObject("lease_until", OffsetDateTime.class);
                    return new Cursor(rs.getLong("position"), rs.getString("owner"),
                            leaseUntil == null ? null : leaseUntil.toInstant());
                })
                .findOne());
    }
}
