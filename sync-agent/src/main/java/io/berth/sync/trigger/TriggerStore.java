package io.berth.sync.trigger;

import io.berth.store.meta.Transactions;
import io.berth.sync.execution.ExecutionScope;
import io.berth.sync.execution.ExecutionScope.Change;
import io.berth.sync.policy.Trigger;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The triggers waiting for an execution, in the database so that a restart or another instance
 * loses none: full runs asked for ({@code replication_run_request}, one row per policy, so that
 * several requests fold into one run) and changes that events reported
 * ({@code replication_pending_change}, one row per policy and event, so that an event delivered
 * twice is recorded once). A dispatcher claims a policy's work with a token of its own before it
 * starts the execution, and releases the claim if the start fails, so two instances never start the
 * same work. Methods block on the database.
 */
public final class TriggerStore {
    /** How many executions a change is given before it is left to the reconcile. */
    static final int MAX_TRIES = 3;
    private static final String ACTIVE = "('Pending', 'Running')";

    /** A change waiting for (or taken by) an execution of a policy, as stored. */
    public record PendingChange(long policyId, Change change, String claim, Long executionId) {
    }

    /** A change for a policy, to record. */
    public record PolicyChange(long policyId, Change change) {
    }

    private final Transactions tx;
    private final Clock clock;

    public TriggerStore(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Asks for a full run of a policy. A request already waiting absorbs this one; a request being
     * started right now loses its claim, so that one more run follows the one starting.
     */
    public void requestRun(long policyId, Trigger.Type trigger) {
        tx.useTransaction(h -> h.createUpdate("MERGE INTO replication_run_request r USING (VALUES"
                        + " (CAST(:policyId AS BIGINT), CAST(:trigger AS VARCHAR(16)))) AS s(policy_id, trigger_type)"
                        + " ON r.policy_id = s.policy_id"
                        + " WHEN MATCHED THEN UPDATE SET claim = NULL, claimed_at = NULL"
                        + " WHEN NOT MATCHED THEN INSERT (policy_id, trigger_type, requested_at)"
                        + " VALUES (s.policy_id, s.trigger_type, :now)")
                .bind("policyId", policyId).bind("trigger", trigger.wireName()).bind("now", clock.instant())
                .execute());
    }

    /** Records changes for policies in one transaction; one already recorded (same policy and event) is kept. */
    public void record(List<PolicyChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        tx.useTransaction(h -> {
            for (PolicyChange c : changes) {
                Change change = c.change();
                h.createUpdate("MERGE INTO replication_pending_change p USING (VALUES (CAST(:policyId AS BIGINT),"
                                + " CAST(:eventId AS BIGINT))) AS s(policy_id, event_id)"
                                + " ON p.policy_id = s.policy_id AND p.event_id = s.event_id"
                                + " WHEN NOT MATCHED THEN INSERT (policy_id, event_id, kind, repository, tag, digest,"
                                + " recorded_at) VALUES (s.policy_id, s.event_id, :kind, :repository, :tag, :digest, :now)")
                        .bind("policyId", c.policyId()).bind("eventId", change.eventId())
                        .bind("kind", change.kind().name().toLowerCase(Locale.ROOT))
                        .bind("repository", change.repository()).bind("tag", change.tag())
                        .bind("digest", change.digest()).bind("now", now)
                        .execute();
            }
        });
    }

    /** The policies with unclaimed work and no active execution, to dispatch. */
    public List<Long> policiesWithWork() {
        return tx.withHandle(h -> h.createQuery("SELECT w.policy_id FROM (SELECT DISTINCT policy_id FROM"
                        + " replication_pending_change WHERE claim IS NULL UNION SELECT policy_id FROM"
                        + " replication_run_request WHERE claim IS NULL) w WHERE NOT EXISTS (SELECT 1 FROM"
                        + " replication_execution e WHERE e.active_policy_id = w.policy_id) ORDER BY w.policy_id")
                .mapTo(Long.class).list());
    }

    /** Claims a policy's unclaimed changes for {@code claim} and returns them in event order (maybe none). */
    public List<Change> claimChanges(long policyId, String claim) {
        return tx.inTransaction(h -> {
            h.createUpdate("UPDATE replication_pending_change SET claim = :claim, claimed_at = :now"
                            + " WHERE policy_id = :policyId AND claim IS NULL")
                    .bind("claim", claim).bind("now", clock.instant()).bind("policyId", policyId).execute();
            return changes(h, "claim = :claim", claim).stream().map(PendingChange::change).toList();
        });
    }

    /** The changes claimed as {@code claim} were taken by an execution: deleted once it has ended. */
    public void attachChanges(String claim, long executionId) {
        tx.useTransaction(h -> h.createUpdate("UPDATE replication_pending_change SET execution_id = :executionId"
                + " WHERE claim = :claim").bind("executionId", executionId).bind("claim", claim).execute());
    }

    /** Gives back changes claimed as {@code claim} whose execution did not start, for the next try. */
    public void releaseChanges(String claim) {
        tx.useTransaction(h -> h.createUpdate("UPDATE replication_pending_change SET claim = NULL, claimed_at = NULL"
                + " WHERE claim = :claim AND execution_id IS NULL").bind("claim", claim).execute());
    }

    /** Claims a policy's waiting full-run request for {@code claim}: the trigger to run it as, or empty. */
    public Optional<Trigger.Type> claimRun(long policyId, String claim) {
        return tx.inTransaction(h -> {
            int claimed = h.createUpdate("UPDATE replication_run_request SET claim = :claim, claimed_at = :now"
                            + " WHERE policy_id = :policyId AND claim IS NULL")
                    .bind("claim", claim).bind("now", clock.instant()).bind("policyId", policyId).execute();
            if (claimed == 0) {
                return Optional.empty();
            }
            return h.createQuery("SELECT trigger_type FROM replication_run_request WHERE policy_id = :policyId")
                    .bind("policyId", policyId).mapTo(String.class).findOne().map(Trigger.Type::ofWireName);
        });
    }

    /** The request claimed as {@code claim} was started: gone, unless a new request came meanwhile. */
    public void finishRun(long policyId, String claim) {
        tx.useTransaction(h -> h.createUpdate("DELETE FROM replication_run_request WHERE policy_id = :policyId"
                + " AND claim = :claim").bind("policyId", policyId).bind("claim", claim).execute());
    }

    /** Gives back a request claimed as {@code claim} whose execution did not start. */
    public void releaseRun(String claim) {
        tx.useTransaction(h -> h.createUpdate("UPDATE replication_run_request SET claim = NULL, claimed_at = NULL"
                + " WHERE claim = :claim").bind("claim", claim).execute());
    }

    /** Drops a policy's unclaimed work (it was disabled, or its trigger changed); how many rows went. */
    public int dropWork(long policyId, boolean runs, boolean changes) {
        return tx.inTransaction(h -> (runs ? h.createUpdate("DELETE FROM replication_run_request WHERE policy_id"
                + " = :policyId AND claim IS NULL").bind("policyId", policyId).execute() : 0)
                + (changes ? h.createUpdate("DELETE FROM replication_pending_change WHERE policy_id = :policyId AND"
                + " claim IS NULL").bind("policyId", policyId).execute() : 0));
    }

    /**
     * Gives the changes of an execution that ended Failed (its instance stopped, or it could not list
     * or reach either side) back for another execution, at most {@link #MAX_TRIES} times each; deletes
     * the changes of the other executions that ended (their failed tasks are the reconcile's); and
     * releases claims older than {@code staleAfter} that never became an execution (their instance
     * stopped while starting it).
     */
    public void sweep(Duration staleAfter) {
        Instant before = clock.instant().minus(staleAfter);
        tx.useTransaction(h -> {
            h.createUpdate("UPDATE replication_pending_change SET claim = NULL, claimed_at = NULL, execution_id ="
                    + " NULL, tries = tries + 1 WHERE execution_id IS NOT NULL AND tries < :max AND EXISTS (SELECT 1"
                    + " FROM replication_execution e WHERE e.id = replication_pending_change.execution_id AND"
                    + " e.status = 'Failed')").bind("max", MAX_TRIES - 1).execute();
            h.createUpdate("DELETE FROM replication_pending_change WHERE execution_id IS NOT NULL AND NOT EXISTS"
                    + " (SELECT 1 FROM replication_execution e WHERE e.id = replication_pending_change.execution_id"
                    + " AND e.status IN " + ACTIVE + ")").execute();
            h.createUpdate("UPDATE replication_pending_change SET claim = NULL, claimed_at = NULL WHERE claim IS NOT"
                    + " NULL AND execution_id IS NULL AND claimed_at < :before").bind("before", before).execute();
            h.createUpdate("UPDATE replication_run_request SET claim = NULL, claimed_at = NULL WHERE claim IS NOT NULL"
                    + " AND claimed_at < :before").bind("before", before).execute();
        });
    }

    /** The ids of the policies with this trigger, only the enabled ones or all. */
    public List<Long> policyIds(Trigger.Type trigger, boolean enabledOnly) {
        return tx.withHandle(h -> h.createQuery("SELECT id FROM replication_policy WHERE trigger_type = :trigger"
                        + (enabledOnly ? " AND enabled = TRUE" : "") + " ORDER BY id")
                .bind("trigger", trigger.wireName()).mapTo(Long.class).list());
    }

    /** A policy's recorded changes, claimed or not, in event order. */
    public List<PendingChange> changesOf(long policyId) {
        return tx.withHandle(h -> changes(h, "policy_id = :policyId", policyId));
    }

    /** Whether a full run of the policy is waiting. */
    public boolean runRequested(long policyId) {
        return tx.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM replication_run_request WHERE policy_id ="
                + " :policyId").bind("policyId", policyId).mapTo(Integer.class).one()) > 0;
    }

    private static List<PendingChange> changes(Handle h, String where, Object value) {
        String name = where.substring(where.indexOf(':') + 1);
        return h.createQuery("SELECT policy_id, event_id, kind, repository, tag, digest, claim, execution_id FROM"
                        + " replication_pending_change WHERE " + where + " ORDER BY event_id")
                .bind(name, value)
                .map((rs, ctx) -> new PendingChange(rs.getLong("policy_id"), new Change(
                        ExecutionScope.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                        rs.getString("repository"), rs.getString("tag"), rs.getString("digest"),
                        rs.getLong("event_id")), rs.getString("claim"),
                        rs.getObject("execution_id", Long.class)))
                .list();
    }
}
