package io.berth.store.event;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Writes events into the outbox inside the transaction of the change they record, so an event
 * exists exactly when its change committed: a rolled-back or retried transaction (see
 * {@link io.berth.store.meta.Transactions}) leaves nothing behind.
 *
 * <h2>Why ids come from a counter row, and why append must come last</h2>
 * Readers page with {@code id > position}, so an event must never become visible after one with
 * a higher id, or a reader that already moved past it would skip it for good. A sequence cannot
 * promise that: ids are handed out when asked for, and transactions commit in another order.
 * Here every append increments the single {@code event_counter} row ({@code UPDATE ... SET
 * last_id = last_id + n}). That UPDATE takes the row's write lock, held until the transaction
 * commits or rolls back; a concurrent writer's UPDATE waits for it, then (READ COMMITTED, on
 * PostgreSQL and on H2) increments the committed value. So the writer with the lower ids has
 * committed, and is visible, before the next one even learns its ids: commit order is id order,
 * ids are dense (a rollback returns its ids), and a gap a reader sees can only be retention.
 *
 * <p>The price is that outbox writers commit one at a time. Call {@link #append} as the last
 * statement(s) of the transaction, so the lock is held only for the insert and the commit, and
 * so no writer ever waits for another lock while holding this one (no deadlock through it).
 * Pulls, which are many, reach it batched by {@link PullRecorder}.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final String INSERT = "INSERT INTO event (id, occurred_at, type, repository, digest, media_type,"
            + " tag, actor, actor_kind, remote_address, count, detail) VALUES (:id, :occurredAt, :type, :repository,"
            + " :digest, :mediaType, :tag, :actor, :actorKind, :remoteAddress, :count, :detail)";

    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();

    /**
     * Runs {@code listener} after every commit of a transaction that appended events, on the
     * committing thread; e.g. {@link EventConsumers#wakeUp}. It must be quick and must not throw.
     */
    public void onCommit(Runnable listener) {
        commitListeners.add(listener);
    }

    /**
     * Appends {@code events} (their ids ignored) in the transaction open on {@code handle}, and
     * returns them with the ids they were given, consecutive and in list order. Locks the outbox
     * until the transaction ends: call it last.
     */
    public List<RegistryEvent> append(Handle handle, List<RegistryEvent> events) {
        if (!handle.isInTransaction()) {
            // In autocommit the counter's lock would end with its UPDATE, before the events are
            // inserted, and ids would no longer follow commit order.
            throw new IllegalStateException("Outbox.append must run in the transaction of the change it records");
        }
        if (events.isEmpty()) {
            return List.of();
        }
        handle.createUpdate("UPDATE event_counter SET last_id = last_id + :n WHERE id = 1")
                .bind("n", events.size())
                .execute();
        long last = EventLog.head(handle);
        List<RegistryEvent> stored = new ArrayList<>(events.size());
        PreparedBatch batch = handle.prepareBatch(INSERT);
        long id = last - events.size();
        for (RegistryEvent event : events) {
            RegistryEvent numbered = event.withId(++id);
            stored.add(numbered);
            batch.bind("id", numbered.id())
                    .bind("occurredAt", numbered.occurredAt())
                    .bind("type", numbered.type().name())
                    .bind("repository", numbered.repository())
                    .bind("digest", numbered.digest())
                    .bind("mediaType", numbered.mediaType())
                    .bind("tag", numbered.tag())
                    .bind("actor", numbered.caller().subject())
                    .bind("actorKind", numbered.caller().kind().name())
                    .bind("remoteAddress", numbered.caller().remoteAddress())
                    .bind("count", numbered.count())
                    .bind("detail", numbered.detail())
                    .add();
        }
        batch.execute();
        if (!commitListeners.isEmpty()) {
            handle.afterCommit(this::committed);
        }
        return stored;
    }

    private void committed() {
        for (Runnable listener : commitListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // The change is committed: a failing listener must not make it look failed.
                LOG.warn("outbox commit listener failed", e);
            }
        }
    }
}
