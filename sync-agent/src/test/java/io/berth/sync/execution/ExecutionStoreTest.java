package io.berth.sync.execution;

import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import io.berth.store.upstream.EndpointDraft;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.RegistryEndpoints;
import io.berth.store.upstream.SecretBox;
import io.berth.sync.policy.Policies;
import io.berth.sync.policy.PolicyDraft;
import io.berth.sync.policy.Trigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executions and tasks in the database, on both databases: one active execution per policy, tasks
 * counted into their execution, listing newest first, the stop flag, and executions of an instance
 * that stopped failed by another instead of staying Running forever.
 */
@OnH2AndPostgres
class ExecutionStoreTest extends DatabaseTestBase {
    private static final Caller ADMIN = new Caller("admin", Caller.Kind.USER, "10.0.0.7");
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private Transactions tx;
    private ExecutionStore here;
    private long policy;

    ExecutionStoreTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        RegistryEndpoints endpoints = new RegistryEndpoints(tx, SecretBox.ofBase64(SecretBox.generateKey()), clock);
        long siteB = endpoints.create(new EndpointDraft("site-b", RegistryEndpoint.Type.V2,
                List.of("https://site-b.example.org"), false, null, null, null)).id();
        policy = new Policies(tx, clock).create(draft("to-site-b", siteB)).id();
        here = new ExecutionStore(tx, clock, "instance-a");
    }

    static PolicyDraft draft(String name, long destination) {
        return new PolicyDraft(name, null, null, destination, List.of(), Trigger.manual(), null, -1, true, false,
                true, 0, 4, true);
    }

    @Test
    void aSecondExecutionOfAPolicy_isRefusedWhileOneIsActive_andAllowedOnceItEnded() {
        Execution first = here.create(policy, Trigger.Type.MANUAL);
        assertEquals(ExecutionStatus.PENDING, first.status());
        assertEquals(Trigger.Type.MANUAL, first.trigger());

        RegistryException refused = assertThrows(RegistryException.class,
                () -> here.create(policy, Trigger.Type.SCHEDULED));
        assertEquals(ErrorCode.CONFLICT, refused.code());
        assertTrue(here.start(first.id()));
        assertThrows(RegistryException.class, () -> here.create(policy, Trigger.Type.MANUAL));

        here.finish(first.id(), ExecutionStatus.SUCCEEDED, null);
        Execution second = here.create(policy, Trigger.Type.EVENT_BASED);

        assertEquals(List.of(second.id(), first.id()),
                here.list(policy, 1, 10).items().stream().map(Execution::id).toList(), "newest first");
        assertEquals(2, here.list(null, 1, 10).total());
        assertEquals(ExecutionStatus.SUCCEEDED, here.get(first.id()).status());
    }

    @Test
    void tasks_areCountedIntoTheirExecution_withTheirLogs() {
        Execution execution = here.create(policy, Trigger.Type.MANUAL);
        here.start(execution.id());
        long copied = here.addTask(execution.id(), new PlannedTask("team/app", "v1", "mirror/app", "v1", null));
        long skipped = here.addTask(execution.id(), new PlannedTask("team/app", "v2", "mirror/app", "v2", null));
        long failed = here.addTask(execution.id(), new PlannedTask("team/db", "v1", "mirror/db", "v1", null));
        long deleted = here.addTask(execution.id(), new PlannedTask("team/old", "v0", "mirror/old", "v0", null,
                TaskOperation.DELETE));
        here.startTask(copied);
        here.finishTask(execution.id(), copied, TaskStatus.SUCCEEDED, "sha256:" + "a".repeat(64), 1234, "copied\n");
        here.finishTask(execution.id(), skipped, TaskStatus.SKIPPED, null, 0, "had it\n");
        here.finishTask(execution.id(), failed, TaskStatus.FAILED, null, 77, "source 500\n");
        here.finishTask(execution.id(), deleted, TaskStatus.SUCCEEDED, null, 0, "deleted\n");
        here.finishTask(execution.id(), failed, TaskStatus.SUCCEEDED, null, 99, "late\n");

        Execution read = here.get(execution.id());
        assertEquals(new Execution.Counts(4, 2, 1, 0, 1, 1234 + 77), read.counts(),
                "a finished task is counted once, the bytes a failed one sent too");
        List<ExecutionTask> tasks = here.tasks(execution.id(), 1, 2).items();
        assertEquals(List.of(copied, skipped), tasks.stream().map(ExecutionTask::id).toList());
        assertEquals(1, tasks.getFirst().attempts());
        assertEquals("mirror/app", tasks.getFirst().destRepository());
        assertEquals(4, here.tasks(execution.id(), 1, 2).total());
        List<ExecutionTask> rest = here.tasks(execution.id(), 2, 2).items();
        assertEquals(77, rest.getFirst().bytes(), "what the failed task sent");
        assertEquals(List.of(TaskOperation.COPY, TaskOperation.DELETE), rest.stream().map(ExecutionTask::operation)
                .toList());
        assertEquals("source 500\n", here.log(execution.id(), failed));
        RegistryException unknown = assertThrows(RegistryException.class, () -> here.log(execution.id(), failed + 99));
        assertEquals(ErrorCode.NO_SUCH_RESOURCE, unknown.code());
    }

    @Test
    void stop_setsTheFlagOfAnActiveExecution_only() {
        Execution execution = here.create(policy, Trigger.Type.MANUAL);
        assertFalse(here.stopRequested(execution.id()));

        assertTrue(here.requestStop(execution.id(), ADMIN).stopRequested());
        here.finish(execution.id(), ExecutionStatus.STOPPED, null);
        Execution next = here.create(policy, Trigger.Type.MANUAL);
        here.finish(next.id(), ExecutionStatus.SUCCEEDED, null);

        assertFalse(here.requestStop(next.id(), ADMIN).stopRequested(), "an execution that ended is left as it is");
        assertThrows(RegistryException.class, () -> here.requestStop(next.id() + 99, ADMIN));
    }

    @Test
    void anExecutionOfAStoppedInstance_isFailedByAnother_andThePolicyCanRunAgain() {
        Execution abandoned = here.create(policy, Trigger.Type.MANUAL);
        here.start(abandoned.id());
        long task = here.addTask(abandoned.id(), new PlannedTask("team/app", "v1", "mirror/app", "v1", null));
        here.startTask(task);
        ExecutionStore other = new ExecutionStore(tx, clock, "instance-b");

        clock.advance(Duration.ofSeconds(30));
        assertEquals(0, other.sweep(Duration.ofSeconds(90)), "a recent heartbeat is alive");
        clock.advance(Duration.ofSeconds(100));
        assertEquals(1, other.sweep(Duration.ofSeconds(90)));

        Execution failed = other.get(abandoned.id());
        assertEquals(ExecutionStatus.FAILED, failed.status());
        assertEquals(ExecutionStore.ABANDONED, failed.error());
        assertEquals(TaskStatus.FAILED, other.tasks(abandoned.id(), 1, 10).items().getFirst().status());
        here.finish(abandoned.id(), ExecutionStatus.SUCCEEDED, null);
        assertEquals(ExecutionStatus.FAILED, other.get(abandoned.id()).status(), "the old owner changes it no more");
        assertEquals(ExecutionStatus.PENDING, other.create(policy, Trigger.Type.MANUAL).status());
    }

    @Test
    void anAbandonedExecution_countsItsUnfinishedTasksFailed_noneInProgress() {
        Execution abandoned = here.create(policy, Trigger.Type.EVENT_BASED);
        here.start(abandoned.id());
        long done = here.addTask(abandoned.id(), new PlannedTask("team/app", "v1", "mirror/app", "v1", null));
        long running = here.addTask(abandoned.id(), new PlannedTask("team/app", "v2", "mirror/app", "v2", null));
        here.addTask(abandoned.id(), new PlannedTask("team/app", "v3", "mirror/app", "v3", null));
        here.startTask(done);
        here.finishTask(abandoned.id(), done, TaskStatus.SUCCEEDED, null, 10, "copied");
        here.startTask(running);

        clock.advance(Duration.ofSeconds(100));
        assertEquals(1, new ExecutionStore(tx, clock, "instance-b").sweep(Duration.ofSeconds(90)));

        Execution.Counts counts = here.get(abandoned.id()).counts();
        assertEquals(List.of(3, 1, 2, 0), List.of(counts.total(), counts.succeeded(), counts.failed(),
                counts.inProgress()), counts.toString());
    }

    @Test
    void shutdown_countsUnfinishedTasksFailed() {
        Execution mine = here.create(policy, Trigger.Type.MANUAL);
        here.start(mine.id());
        here.addTask(mine.id(), new PlannedTask("team/app", "v1", "mirror/app", "v1", null));
        here.failOwn(Executions.SHUT_DOWN);

        Execution.Counts counts = here.get(mine.id()).counts();
        assertEquals(List.of(1, 1, 0), List.of(counts.total(), counts.failed(), counts.inProgress()), counts.toString());
    }

    @Test
    void shutdown_failsThisInstancesActiveExecutions_only() {
        Execution mine = here.create(policy, Trigger.Type.MANUAL);
        here.failOwn(Executions.SHUT_DOWN);

        Execution read = here.get(mine.id());
        assertEquals(ExecutionStatus.FAILED, read.status());
        assertEquals(Executions.SHUT_DOWN, read.error());
        assertNull(read.startedAt());
    }
}
