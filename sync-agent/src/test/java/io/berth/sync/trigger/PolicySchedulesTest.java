package io.berth.sync.trigger;

import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import io.berth.sync.execution.Execution;
import io.berth.sync.filter.PolicyFilter;
import io.berth.sync.policy.PolicyDraft;
import io.berth.sync.policy.ReplicationPolicy;
import io.berth.sync.policy.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.berth.sync.trigger.TriggerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules on db-scheduler, on both databases: a scheduled policy fires and its firing becomes a
 * scheduled execution; disabling it cancels its schedule and enabling it schedules it again; the
 * reconcile asks for full runs of event-based policies only.
 */
@OnH2AndPostgres
class PolicySchedulesTest extends DatabaseTestBase {
    /** Every two seconds: tests only (the API takes 0 seconds, at most once a minute). */
    static final Trigger EVERY_TWO_SECONDS = new Trigger(Trigger.Type.SCHEDULED, "*/2 * * * * *");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TriggerFixture here;
    private Dispatcher dispatcher;
    private PolicySchedules schedules;
    private final List<Long> fired = new CopyOnWriteArrayList<>();

    PolicySchedulesTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        here = new TriggerFixture(dataSource, "instance-a");
        here.release(); // executions end at once
        dispatcher = new Dispatcher(here.store, here.policies, here.executions, new Dispatcher.Options(
                Duration.ofMillis(200), Duration.ofMinutes(2)));
    }

    @AfterEach
    void close() {
        if (schedules != null) {
            schedules.close();
        }
        dispatcher.close();
        here.close();
    }

    private void startSchedules(Duration reconcile) {
        schedules = new PolicySchedules(dataSource, here.policies, here.store, (policy, trigger, due) -> {
            fired.add(policy);
            dispatcher.requestRun(policy, trigger);
        }, new PolicySchedules.Options("instance-a", Duration.ofMillis(200), reconcile));
        here.policies.onChange(schedules::policyChanged);
        schedules.start();
        dispatcher.start();
    }

    @Test
    void aScheduledPolicy_fires_andDisablingItCancelsItsSchedule() throws Exception {
        startSchedules(Duration.ofHours(1));
        long policy = here.policy("every-2s", EVERY_TWO_SECONDS, List.of(), false, true);

        await("a scheduled execution", WAIT, () -> here.executionsOf(policy).stream()
                .anyMatch(e -> e.trigger() == Trigger.Type.SCHEDULED));

        here.policies.update(policy, disabled(here.policies.get(policy)));
        await("its schedule is cancelled", WAIT, () -> schedules.nextFiring(policy).isEmpty());
        int firings = fired.size();
        Thread.sleep(2500); // more than one period: a cancelled schedule does not fire
        assertEquals(firings, fired.size());

        here.policies.update(policy, enabled(here.policies.get(policy)));
        assertTrue(schedules.nextFiring(policy).isPresent(), "enabled again, scheduled again");
        here.policies.delete(policy);
        // A firing in progress at that moment removes the schedule when it completes.
        await("deleted, unscheduled", WAIT, () -> schedules.nextFiring(policy).isEmpty());
    }

    @Test
    void aPolicyScheduledBeforeThisInstanceStarted_isScheduledAtStart() {
        long policy = here.policy("nightly", Trigger.scheduled("0 0 2 * * *"), List.of(), false, true);

        startSchedules(Duration.ofHours(1));

        Instant next = schedules.nextFiring(policy).orElseThrow();
        assertEquals(PolicySchedules.next("0 0 2 * * *", Instant.now()), next);
    }

    @Test
    void theReconcile_asksForAFullRunOfEventBasedPoliciesOnly() throws Exception {
        long onPush = here.policy("on-push", Trigger.eventBased(), List.of(), false, true);
        long manual = here.policy("by-hand", Trigger.manual(), List.of(), false, true);
        long off = here.policy("off", Trigger.eventBased(), List.of(), false, false);

        startSchedules(Duration.ofSeconds(1));

        await("a reconcile run", WAIT, () -> !here.executionsOf(onPush).isEmpty());
        Execution run = here.executionsOf(onPush).getLast();
        assertEquals(Trigger.Type.SCHEDULED, run.trigger(), "reconcile runs are stored as scheduled");
        assertFalse(fired.contains(manual));
        assertFalse(fired.contains(off));
        assertEquals(List.of(), here.executionsOf(manual));
    }

    static PolicyDraft disabled(ReplicationPolicy p) {
        return draft(p, false);
    }

    static PolicyDraft enabled(ReplicationPolicy p) {
        return draft(p, true);
    }

    private static PolicyDraft draft(ReplicationPolicy p, boolean enabled) {
        List<PolicyFilter> filters = p.filters();
        return new PolicyDraft(p.name(), p.description(), p.sourceRegistryId(), p.destRegistryId(), filters,
                p.trigger(), p.destNamespace(), p.destNamespaceReplaceCount(), p.override(), p.replicateDeletion(),
                p.copyReferrers(), p.bandwidthLimitKiBps(), p.concurrency(), enabled);
    }

}
