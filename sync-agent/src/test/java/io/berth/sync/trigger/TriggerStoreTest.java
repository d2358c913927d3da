package io.berth.sync.trigger;

import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import io.berth.store.Caller;
import io.berth.sync.execution.Execution;
import io.berth.sync.execution.ExecutionScope.Change;
import io.berth.sync.execution.ExecutionScope.Kind;
import io.berth.sync.execution.ExecutionStatus;
import io.berth.sync.policy.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run requests in the database, on both databases: requests fold into one, one claimer at a time
 * gets it, and a request that arrives while one is being started survives the start, so that one
 * more run follows.
 */
@OnH2AndPostgres
class TriggerStoreTest extends DatabaseTestBase {
    private TriggerFixture here;
    private long policy;

    TriggerStoreTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        here = new TriggerFixture(dataSource, "instance-a");
        policy = here.policy("nightly", Trigger.scheduled("0 0 2 * * *"), List.of(), false, true);
    }

    @AfterEach
    void close() {
        here.close();
    }

    @Test
    void requests_foldIntoOne_thatOneClaimerGets() {
        here.store.requestRun(policy, Trigger.Type.SCHEDULED);
        here.store.requestRun(policy, Trigger.Type.SCHEDULED);

        assertEquals(Optional.of(Trigger.Type.SCHEDULED), here.store.claimRun(policy, "a"));
        assertEquals(Optional.empty(), here.store.claimRun(policy, "b"));
        here.store.finishRun(policy, "a");

        assertFalse(here.store.runRequested(policy));
        assertEquals(List.of(), here.store.policiesWithWork());
    }

    @Test
    void aRequestWhileOneIsBeingStarted_survivesTheStart() {
        here.store.requestRun(policy, Trigger.Type.SCHEDULED);
        here.store.claimRun(policy, "a");

        here.store.requestRun(policy, Trigger.Type.SCHEDULED);
        here.store.finishRun(policy, "a");

        assertTrue(here.store.runRequested(policy));
        assertEquals(List.of(policy), here.store.policiesWithWork());
    }

    @Test
    void aReleasedClaim_isWorkAgain() {
        here.store.requestRun(policy, Trigger.Type.SCHEDULED);
        here.store.claimRun(policy, "a");
        assertEquals(List.of(), here.store.policiesWithWork());

        here.store.releaseRun("a");

        assertEquals(List.of(policy), here.store.policiesWithWork());
    }

    @Test
    void changesOfAFailedExecution_waitForTheNext_upToThreeTries_whileASucceededOnesAreDone() {
        here.store.record(List.of(new TriggerStore.PolicyChange(policy, new Change(Kind.COPY, "team/app", "1.0",
                null, 7))));
        for (int run = 1; run <= TriggerStore.MAX_TRIES; run++) {
            assertEquals(1, here.store.claimChanges(policy, "c" + run).size(), "try " + run + " gets the change");
            runAndEnd("c" + run, ExecutionStatus.FAILED);
        }
        assertEquals(List.of(), here.store.changesOf(policy), "after three failed tries the reconcile heals it");

        here.store.record(List.of(new TriggerStore.PolicyChange(policy, new Change(Kind.COPY, "team/app", "2.0",
                null, 8))));
        here.store.claimChanges(policy, "d");
        runAndEnd("d", ExecutionStatus.SUCCEEDED);
        assertEquals(List.of(), here.store.changesOf(policy));
    }

    private void runAndEnd(String claim, ExecutionStatus status) {
        Execution execution = here.executions.store().create(policy, Trigger.Type.EVENT_BASED, Caller.system("test"));
        here.store.attachChanges(claim, execution.id());
        here.tx.useTransaction(h -> h.createUpdate("UPDATE replication_execution SET status = :status,"
                + " active_policy_id = NULL WHERE id = :id").bind("status", status.wireName())
                .bind("id", execution.id()).execute());
        here.store.sweep(Duration.ofMinutes(2));
    }
}
