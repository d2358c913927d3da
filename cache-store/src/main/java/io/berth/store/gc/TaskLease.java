package io.berth.store.gc;

import io.berth.store.meta.Transactions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A lease on a background task in the {@code task_lease} table, so that of the instances sharing a
 * database one at a time runs it. Every write is a conditional UPDATE, which H2 and PostgreSQL both
 * apply atomically to the one row (no {@code SKIP LOCKED}, which H2 lacks). A holder that stalls past
 * its lease loses it to another instance: it renews between steps and stops when renewing fails.
 * Lease times come from the instances' clocks: keep them in sync (NTP) to well within the lease.
 */
public final class TaskLease {
    private final Transactions tx;
    private final String name;
    private final String owner;
    private final Duration length;
    private final Clock clock;

    /**
     * @param name   the task
     * @param owner  this instance (unique among those sharing the database)
     * @param length how long the lease lasts from each acquisition or renewal
     */
    public TaskLease(Transactions tx, String name, String owner, Duration length, Clock clock) {
        this.tx = tx;
        this.name = Objects.requireNonNull(name, "name");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.length = length;
        this.clock = clock;
    }

    /** Takes the lease when it is free, expired or this owner's already; false when another holds it. */
    public boolean acquire() {
        Instant now = clock.instant();
        return tx.inTransaction(h -> {
            h.createUpdate("MERGE INTO task_lease l USING (VALUES (CAST(:name AS VARCHAR(64)))) AS s(name)"
                            + " ON l.name = s.name WHEN NOT MATCHED THEN INSERT (name) VALUES (s.name)")
                    .bind("name", name).execute();
            return h.createUpdate("UPDATE task_lease SET owner = :owner, lease_until = :until WHERE name = :name"
                            + " AND (owner IS NULL OR owner = :owner OR lease_until < :now)")
                    .bind("name", name).bind("owner", owner).bind("until", now.plus(length)).bind("now", now)
                    .execute() == 1;
        });
    }

    /** Extends the lease while this owner holds it; false when another instance has taken it over. */
    public boolean renew() {
        Instant now = clock.instant();
        return tx.inTransaction(h -> h.createUpdate("UPDATE task_lease SET lease_until = :until"
                        + " WHERE name = :name AND owner = :owner AND lease_until >= :now")
                .bind("name", name).bind("owner", owner).bind("until", now.plus(length)).bind("now", now)
                .execute()) == 1;
    }

    /** Gives the lease up, if this owner still holds it. */
    public void release() {
        tx.useTransaction(h -> h.createUpdate("UPDATE task_lease SET owner = NULL, lease_until = NULL"
                        + " WHERE name = :name AND owner = :owner")
                .bind("name", name).bind("owner", owner).execute());
    }
}
