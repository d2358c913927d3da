package io.berth.sync.trigger;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.sync.policy.Policies;
import io.berth.sync.policy.ReplicationPolicy;
import io.berth.sync.policy.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The schedules of scheduled policies, and the reconcile of event-based ones, on db-scheduler over
 * the shared database ({@code scheduled_tasks}): of several instances polling it, exactly one runs
 * each firing (db-scheduler's row lock), so a firing asks for one run however many instances there
 * are. A firing does not start an execution itself: it tells {@link Firing} (the dispatcher records a
 * full-run request, folded into the next run while one is active).
 *
 * <ul>
 *   <li>Each enabled scheduled policy has a task instance {@value #POLICY_TASK}/{@code <id>} holding
 *       its cron (six fields, seconds first, in UTC). {@link #policyChanged} (re)schedules or cancels
 *       it when a policy is created, updated, enabled, disabled or deleted; after each firing it is
 *       rescheduled from the policy as it then is, or removed. {@link #start} brings every schedule
 *       in line with the policies, for changes made while no instance ran.</li>
 *   <li>{@value #RECONCILE_TASK} runs every {@link Options#reconcileInterval} and asks for a full run
 *       of every enabled event-based policy, copying what an event did not bring (a missed event, a
 *       failed execution, history before the policy). Such runs are stored with trigger
 *       {@code scheduled}.</li>
 * </ul>
 */
public final class PolicySchedules implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicySchedules.class);
    static final String POLICY_TASK = "replication-policy";
    static final String RECONCILE_TASK = "replication-reconcile";

    /** Where a firing goes: one call per firing, on one instance. */
    @FunctionalInterface
    public interface Firing {
        /** {@code policyId} is due to run as {@code trigger}; {@code due} is the time it was scheduled for. */
        void fired(long policyId, Trigger.Type trigger, Instant due);
    }

    /**
     * @param instanceName      this instance among those sharing the database (db-scheduler's picked_by)
     * @param pollInterval      how often due firings are looked for (a firing may be this late)
     * @param reconcileInterval the time between two reconciles of event-based policies
     */
    public record Options(String instanceName, Duration pollInterval, Duration reconcileInterval) {
        public Options {
            if (pollInterval.isNegative() || pollInterval.isZero() || reconcileInterval.isNegative()
                    || reconcileInterval.isZero()) {
                throw new IllegalArgumentException("schedule intervals must be positive: " + this);
            }
        }
    }

    private final Policies policies;
    private final TriggerStore store;
    private final Firing firing;
    private final CustomTask<String> policyTask;
    private final Scheduler scheduler;

    public PolicySchedules(DataSource dataSource, Policies policies, TriggerStore store, Firing firing,
                           Options options) {
        this.policies = policies;
        this.store = store;
        this.firing = firing;
        this.policyTask = Tasks.custom(POLICY_TASK, String.class).execute(this::firePolicy);
        RecurringTask<Void> reconcile = Tasks.recurring(RECONCILE_TASK,
                Schedules.fixedDelay(options.reconcileInterval())).execute(this::reconcile);
        this.scheduler = Scheduler.create(dataSource, policyTask)
                .startTasks(reconcile)
                .schedulerName(new SchedulerName.Fixed(options.instanceName()))
                .pollingInterval(options.pollInterval())
                .threads(2)
                .alwaysPersistTimestampInUTC() // the columns are TIMESTAMP WITH TIME ZONE on both databases
                .shutdownMaxWait(Duration.ofSeconds(10)) // a firing only records a request: it never takes long
                .build();
    }

    /** Starts polling, and brings every policy's schedule in line with the policy. */
    public void start() {
        scheduler.start();
        for (long id : store.policyIds(Trigger.Type.SCHEDULED, false)) {
            policyChanged(id);
        }
        for (ScheduledExecution<String> scheduled : scheduler.getScheduledExecutionsForTask(POLICY_TASK,
                String.class)) {
            policyChanged(Long.parseLong(scheduled.getTaskInstance().getId()));
        }
    }

    /**
     * A policy was created, changed or deleted: schedules it from its cron if it is an enabled
     * scheduled policy (a schedule whose cron is unchanged is left as it is), cancels it otherwise.
     * A firing in progress is left alone: it reschedules itself from the policy as it is then.
     */
    public void policyChanged(long policyId) {
        TaskInstanceId id = TaskInstanceId.of(POLICY_TASK, Long.toString(policyId));
        try {
            Optional<String> cron = scheduledCron(policyId);
            Optional<ScheduledExecution<Object>> existing = scheduler.getScheduledExecution(id);
            if (existing.isPresent() && (existing.get().isPicked() || cron.equals(Optional.ofNullable(
                    existing.get().getData())))) {
                return;
            }
            if (cron.isEmpty()) {
                if (existing.isPresent()) {
                    scheduler.cancel(id);
                }
                return;
            }
            Instant next = next(cron.get(), Instant.now());
            if (existing.isPresent()) {
                scheduler.reschedule(id, next, cron.get());
            } else {
                scheduler.scheduleIfNotExists(policyTask.instance(Long.toString(policyId), cron.get()), next);
            }
        } catch (RuntimeException e) {
            // Another instance changed it at the same time; its firing reads the policy afresh anyway.
            LOG.warn("could not update the schedule of replication policy {}", policyId, e);
        }
    }

    /** When the policy's schedule fires next, if it has one. */
    public Optional<Instant> nextFiring(long policyId) {
        return scheduler.getScheduledExecution(TaskInstanceId.of(POLICY_TASK, Long.toString(policyId)))
                .map(ScheduledExecution::getExecutionTime);
    }

    private CompletionHandler<String> firePolicy(TaskInstance<String> instance, ExecutionContext context) {
        long policyId = Long.parseLong(instance.getId());
        if (scheduledCron(policyId).isPresent()) {
            fire(policyId, context.getExecution().getExecutionTime());
        }
        return (ExecutionComplete complete, com.github.kagkarlsson.scheduler.task.ExecutionOperations<String> ops) -> {
            Optional<String> cron = scheduledCron(policyId);
            if (cron.isEmpty()) {
                ops.remove();
            } else {
                ops.reschedule(complete, next(cron.get(), complete.getTimeDone()), cron.get());
            }
        };
    }

    private void reconcile(TaskInstance<Void> instance, ExecutionContext context) {
        Instant due = context.getExecution().getExecutionTime();
        for (long policyId : store.policyIds(Trigger.Type.EVENT_BASED, true)) {
            fire(policyId, due);
        }
    }

    private void fire(long policyId, Instant due) {
        try {
            firing.fired(policyId, Trigger.Type.SCHEDULED, due);
        } catch (RuntimeException e) {
            LOG.warn("could not ask for the scheduled run of replication policy {} due at {}", policyId, due, e);
        }
    }

    /** The cron of an enabled scheduled policy; empty for any other (or none). */
    private Optional<String> scheduledCron(long policyId) {
        try {
            ReplicationPolicy policy = policies.get(policyId);
            return policy.enabled() && policy.trigger().type() == Trigger.Type.SCHEDULED
                    ? Optional.ofNullable(policy.trigger().cron()) : Optional.empty();
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.NO_SUCH_RESOURCE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** When {@code cron} (UTC) fires next after {@code after}. */
    static Instant next(String cron, Instant after) {
        return Schedules.cron(cron, ZoneOffset.UTC).getNextExecutionTime(ExecutionComplete.simulatedSuccess(after));
    }

    /** Stops polling; a firing in progress finishes first (up to db-scheduler's shutdown wait). */
    @Override
    public void close() {
        scheduler.stop();
    }
}
