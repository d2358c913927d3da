package io.berth.sync.execution;

import io.berth.store.Caller;
import io.berth.store.Inventory.Listing;
import io.berth.store.audit.AuditEntry;
import io.berth.store.audit.AuditLog;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;
import io.berth.sync.policy.Trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Executions and their tasks in the database, for the engine that runs them ({@link Executions})
 * and the API that shows them. One active execution per policy: a second is refused with CONFLICT.
 * Changes made while running name this instance ({@code owner}) and stop taking effect once the
 * execution is no longer active. Methods block on the database.
 */
public final class ExecutionStore {
    static final String ABANDONED = "the Berth instance running this execution stopped before it finished (a"
            + " restart?): start the policy again; what was copied stays at the destination";

    private static final String RESOURCE_TYPE = "replication";

    private final Transactions tx;
    private final Clock clock;
    private final String owner;

    /** @param owner this instance, unique among those sharing the database */
    public ExecutionStore(Transactions tx, Clock clock, String owner) {
        this.tx = tx;
        this.clock = clock;
        this.owner = owner;
    }

    /** Stores a pending execution of a policy, audited as Berth's own; CONFLICT when the policy has an active one. */
    public Execution create(long policyId, Trigger.Type trigger) {
        return create(policyId, trigger, Caller.system("berth"));
    }

    /** Stores a pending execution of a policy, audited as {@code who}'s; CONFLICT when the policy has an active one. */
    public Execution create(long policyId, Trigger.Type trigger, Caller who) {
        Instant now = clock.instant();
        long id = tx.inTransaction(h -> {
            ExecutionDao dao = h.attach(ExecutionDao.class);
            // A concurrent insert that wins the unique index makes this transaction run again, and see it here.
            if (dao.activeOf(policyId) > 0) {
                throw new RegistryException(ErrorCode.CONFLICT, "replication policy " + policyId + " has an"
                        + " execution pending or running already: wait for it to finish, or stop it (PUT"
                        + " /api/v1/replication/executions/{id} {\"status\":\"Stopped\"}) and start again");
            }
            long created = dao.insert(policyId, trigger.wireName(), owner, now);
            AuditLog.record(h, AuditEntry.of(now, who, "start", RESOURCE_TYPE, "execution/" + created, null, true,
                    "policy " + policyId + ", " + trigger.wireName()));
            return created;
        });
        return get(id);
    }

    /** The execution with this id; NO_SUCH_RESOURCE when there is none. */
    public Execution get(long id) {
        return tx.withHandle(h -> h.attach(ExecutionDao.class).find(id)).orElseThrow(() -> missing(id));
    }

    /** A page (from 1) of executions, newest first, of one policy or (null) of all, and how many there are. */
    public Listing<Execution> list(Long policyId, int page, int pageSize) {
        long offset = (long) (page - 1) * pageSize;
        return tx.withHandle(h -> {
            ExecutionDao dao = h.attach(ExecutionDao.class);
            return policyId == null ? new Listing<>(dao.list(pageSize, offset), dao.count())
                    : new Listing<>(dao.listOf(policyId, pageSize, offset), dao.countOf(policyId));
        });
    }

    /** A page (from 1) of an execution's tasks in the order planned; NO_SUCH_RESOURCE for an unknown execution. */
    public Listing<ExecutionTask> tasks(long executionId, int page, int pageSize) {
        get(executionId);
        long offset = (long) (page - 1) * pageSize;
        return tx.withHandle(h -> {
            ExecutionDao dao = h.attach(ExecutionDao.class);
            return new Listing<>(dao.tasks(executionId, pageSize, offset), dao.taskCount(executionId));
        });
    }

    /** A task's log (empty text when it has none yet); NO_SUCH_RESOURCE for an unknown execution or task. */
    public String log(long executionId, long taskId) {
        return tx.withHandle(h -> {
            ExecutionDao dao = h.attach(ExecutionDao.class);
            if (dao.task(executionId, taskId).isEmpty()) {
                throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "execution " + executionId
                        + " has no task " + taskId);
            }
            return dao.log(executionId, taskId).orElse("");
        });
    }

    /**
     * Asks an active execution to stop (the instance running it sees the flag within seconds); an
     * execution that has ended already is left as it is. NO_SUCH_RESOURCE when there is none.
     */
    public Execution requestStop(long id, Caller who) {
        get(id);
        tx.useTransaction(h -> {
            if (h.attach(ExecutionDao.class).requestStop(id) == 1) {
                AuditLog.record(h, AuditEntry.of(clock.instant(), who, "stop", RESOURCE_TYPE, "execution/" + id, null,
                        true, null));
            }
        });
        return get(id);
    }

    /** Whether someone asked the execution to stop (or it is gone). */
    boolean stopRequested(long id) {
        return tx.withHandle(h -> h.attach(ExecutionDao.class).find(id).map(Execution::stopRequested).orElse(true));
    }

    /** Marks a pending execution of this instance running; false when it is not (any more). */
    boolean start(long id) {
        return tx.inTransaction(h -> h.attach(ExecutionDao.class).start(id, owner, clock.instant())) == 1;
    }

    /** Stores a planned task, counted in its execution's total. */
    long addTask(long executionId, PlannedTask task) {
        return tx.inTransaction(h -> {
            ExecutionDao dao = h.attach(ExecutionDao.class);
            dao.addTasks(executionId, owner, 1);
            return dao.insertTask(executionId, task.sourceRepository(), task.sourceReference(),
                    task.destRepository(), task.destReference(), task.digest(), task.operation().wireName());
        });
    }

    /**
     * Stores a plan's tasks in one transaction, counted in its execution's total; their ids in the
     * plan's order. (One transaction per task made planning 50 repositories take most of a second.)
     */
    List<Long> addTasks(long executionId, List<PlannedTask> tasks) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        return tx.inTransaction(h -> {
            ExecutionDao dao = h.attach(ExecutionDao.class);
            dao.addTasks(executionId, owner, tasks.size());
            List<Long> ids = new ArrayList<>(tasks.size());
            for (PlannedTask task : tasks) {
                ids.add(dao.insertTask(executionId, task.sourceRepository(), task.sourceReference(),
                        task.destRepository(), task.destReference(), task.digest(), task.operation().wireName()));
            }
            return ids;
        });
    }

    /** Marks a task running (one more attempt). */
    void startTask(long taskId) {
        tx.useTransaction(h -> h.attach(ExecutionDao.class).startTask(taskId, clock.instant()));
    }

    /** Writes a task's log so far. */
    void writeLog(long taskId, String log) {
        tx.useTransaction(h -> h.attach(ExecutionDao.class).writeLog(taskId, log));
    }

    /** Ends a task and counts its outcome and bytes in its execution, in one transaction. */
    void finishTask(long executionId, long taskId, TaskStatus status, String digest, long bytes, String log) {
        Instant now = clock.instant();
        tx.useTransaction(h -> {
            ExecutionDao dao = h.attach(ExecutionDao.class);
            if (dao.finishTask(taskId, status.wireName(), digest, bytes, log, now) == 1) {
                dao.addOutcome(executionId, owner, status == TaskStatus.SUCCEEDED ? 1 : 0,
                        status == TaskStatus.FAILED ? 1 : 0, status == TaskStatus.STOPPED ? 1 : 0,
                        status == TaskStatus.SKIPPED ? 1 : 0, bytes);
            }
        });
    }

    /** Ends an execution of this instance (its policy may then run again); {@code error} may be null. */
    void finish(long id, ExecutionStatus status, String error) {
        tx.useTransaction(h -> h.attach(ExecutionDao.class).finish(id, owner, status.wireName(), error,
                clock.instant()));
    }

    /**
     * Marks this instance's active executions alive and fails those whose instance stopped (no
     * heartbeat for {@code staleAfter}), with their unfinished tasks; returns how many it failed.
     */
    public int sweep(Duration staleAfter) {
        Instant now = clock.instant();
        Instant before = now.minus(staleAfter);
        return tx.inTransaction(h -> {
            ExecutionDao dao = h.attach(ExecutionDao.class);
            dao.heartbeat(owner, now);
            dao.failTasksOfAbandoned(before, ABANDONED, now);
            return dao.failAbandoned(before, ABANDONED, now);
        });
    }

    /** Fails this instance's active executions at once (at shutdown), with their unfinished tasks. */
    public void failOwn(String why) {
        Instant now = clock.instant();
        tx.useTransaction(h -> {
            h.createUpdate("UPDATE replication_task SET status = 'Failed', finished_at = :now, log = :why"
                            + " WHERE status IN " + ExecutionDao.ACTIVE + " AND execution_id IN (SELECT id FROM"
                            + " replication_execution WHERE owner = :owner AND status IN " + ExecutionDao.ACTIVE + ")")
                    .bind("now", now).bind("why", why).bind("owner", owner).execute();
            h.createUpdate("UPDATE replication_execution SET status = 'Failed', active_policy_id = NULL,"
                            + " error = :why, finished_at = :now, " + ExecutionDao.COUNT_UNFINISHED_AS_FAILED
                            + " WHERE owner = :owner AND status IN " + ExecutionDao.ACTIVE)
                    .bind("now", now).bind("why", why).bind("owner", owner).execute();
        });
    }

    /** The execution, if it exists. */
    Optional<Execution> find(long id) {
        return tx.withHandle(h -> h.attach(ExecutionDao.class).find(id));
    }

    private static RegistryException missing(long id) {
        return new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no replication execution with id " + id);
    }
}
