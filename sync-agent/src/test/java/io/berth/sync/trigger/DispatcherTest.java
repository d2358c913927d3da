package io.berth.sync.trigger;

import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import io.berth.sync.execution.Execution;
import io.berth.sync.execution.ExecutionScope.Change;
import io.berth.sync.execution.ExecutionScope.Kind;
import io.berth.sync.policy.Trigger;
import io.berth.sync.trigger.TriggerStore.PendingChange;
import io.berth.sync.trigger.TriggerStore.PolicyChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static io.berth.sync.trigger.TriggerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher, on both databases: one active execution per policy, what fires meanwhile folded
 * into exactly one follow-up run; changes from events started as one event-based execution that
 * claims them, deleted once it has ended, and given back when it could not start.
 */
@OnH2AndPostgres
class DispatcherTest extends DatabaseTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private TriggerFixture here;
    private Dispatcher dispatcher;

    DispatcherTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        here = new TriggerFixture(dataSource, "instance-a");
        dispatcher = new Dispatcher(here.store, here.policies, here.executions, Dispatcher.Options.defaults());
    }

    @AfterEach
    void close() {
        here.close();
    }

    @Test
    void triggersDuringAnActiveRun_foldIntoExactlyOneFollowUpRun() throws Exception {
        long policy = here.policy("nightly", Trigger.scheduled("0 0 2 * * *"), List.of(), false, true);
        dispatcher.requestRun(policy, Trigger.Type.SCHEDULED);
        dispatcher.dispatchOnce();
        List<Execution> first = here.executionsOf(policy);
        assertEquals(1, first.size());
        assertEquals(Trigger.Type.SCHEDULED, first.getFirst().trigger());

        for (int i = 0; i < 3; i++) {
            dispatcher.requestRun(policy, Trigger.Type.SCHEDULED);
            dispatcher.dispatchOnce();
        }

        assertEquals(1, here.executionsOf(policy).size(), "nothing runs beside the active execution");
        assertTrue(here.store.runRequested(policy), "the triggers wait, folded into one request");

        here.release();
        await("the first execution ended", WAIT, () -> !here.active(policy));
        dispatcher.dispatchOnce();
        await("the follow-up ended", WAIT, () -> !here.active(policy));
        dispatcher.dispatchOnce();

        List<Execution> all = here.executionsOf(policy);
        assertEquals(2, all.size(), "three folded triggers make one follow-up run: " + all);
        assertEquals(Trigger.Type.SCHEDULED, all.getFirst().trigger());
        assertFalse(here.store.runRequested(policy));
    }

    @Test
    void aManualExecution_makesWaitingTriggersWait_notFail() throws Exception {
        long policy = here.policy("hourly", Trigger.scheduled("0 0 * * * *"), List.of(), false, true);
        here.executions.start(policy, Trigger.Type.MANUAL);
        dispatcher.requestRun(policy, Trigger.Type.SCHEDULED);
        dispatcher.dispatchOnce();
        assertEquals(1, here.executionsOf(policy).size());

        here.release();
        await("the manual execution ended", WAIT, () -> !here.active(policy));
        dispatcher.dispatchOnce();

        assertEquals(List.of(Trigger.Type.SCHEDULED, Trigger.Type.MANUAL),
                here.executionsOf(policy).stream().map(Execution::trigger).toList());
    }

    @Test
    void recordedChanges_startOneEventBasedExecution_thatClaimsThem_andFailedOnesAreTakenByTheNext() throws Exception {
        long policy = here.policy("on-push", Trigger.eventBased(), List.of(), true, true);
        here.store.record(IntStream.rangeClosed(1, 50).mapToObj(i -> new PolicyChange(policy,
                new Change(Kind.COPY, "team/app", "v" + i, null, i))).toList());

        dispatcher.dispatchOnce();
        dispatcher.dispatchOnce();

        List<Execution> executions = here.executionsOf(policy);
        assertEquals(1, executions.size(), "50 changes, one execution");
        assertEquals(Trigger.Type.EVENT_BASED, executions.getFirst().trigger());
        List<PendingChange> claimed = here.store.changesOf(policy);
        assertEquals(50, claimed.size());
        assertTrue(claimed.stream().allMatch(c -> Long.valueOf(executions.getFirst().id()).equals(c.executionId())),
                claimed.toString());

        here.store.record(List.of(new PolicyChange(policy, new Change(Kind.DELETE, "team/app", "old", null, 51))));
        here.release();
        await("the execution ended", WAIT, () -> !here.active(policy));
        dispatcher.dispatchOnce();

        // The fixture's executions end Failed: their changes come back, and the next execution takes
        // them with the later one (TriggerStoreTest shows a succeeded execution's changes gone).
        List<PendingChange> left = here.store.changesOf(policy);
        assertEquals(51, left.size(), "the failed execution's changes wait for the next, with the later one");
        List<Execution> both = here.executionsOf(policy);
        assertEquals(2, both.size());
        long next = both.stream().mapToLong(Execution::id).max().orElseThrow();
        assertTrue(left.stream().allMatch(c -> Long.valueOf(next).equals(c.executionId())), left.toString());
    }

    @Test
    void changesWhoseExecutionCouldNotStart_areKept_forTheNextTry() {
        long policy = here.policy("on-push", Trigger.eventBased(), List.of(), false, true);
        here.store.record(List.of(new PolicyChange(policy, new Change(Kind.COPY, "team/app", "v1", null, 7))));
        here.executions.close(); // Berth stopping: starts are refused

        dispatcher.dispatchOnce();

        assertFalse(here.active(policy), "Executions refused it: " + here.executionsOf(policy));
        PendingChange kept = here.store.changesOf(policy).getFirst();
        assertEquals(null, kept.claim());
        assertEquals(null, kept.executionId());
    }

    @Test
    void aDisabledPolicy_dropsWhatWaited_andRunsNothing() {
        long policy = here.policy("off", Trigger.eventBased(), List.of(), false, false);
        here.store.record(List.of(new PolicyChange(policy, new Change(Kind.COPY, "team/app", "v1", null, 7))));
        here.store.requestRun(policy, Trigger.Type.SCHEDULED);

        dispatcher.dispatchOnce();

        assertEquals(0, here.executionsOf(policy).size());
        assertEquals(List.of(), here.store.changesOf(policy));
        assertFalse(here.store.runRequested(policy));
    }
}
