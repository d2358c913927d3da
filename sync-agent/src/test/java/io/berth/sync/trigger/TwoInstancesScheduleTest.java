package io.berth.sync.trigger;

import io.berth.store.testing.TestDatabase;
import io.berth.store.testing.TestDatabases;
import io.berth.sync.execution.Execution;
import io.berth.sync.policy.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Berth instances sharing one PostgreSQL database, each with its own scheduler, dispatcher and
 * executions, and a policy firing every two seconds: over about ten seconds each firing time is
 * handled by one instance only, and no firing makes two executions.
 */
class TwoInstancesScheduleTest {
    private DataSource database;
    private final List<TriggerFixture> fixtures = new ArrayList<>();
    private final List<AutoCloseable> running = new ArrayList<>();

    /** (instance, policy, due) for every firing either instance handled. */
    private record Fired(String instance, long policy, Instant due) {
    }

    private final List<Fired> fired = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        database = TestDatabases.postgres(); // skips without BERTH_TEST_POSTGRES_URL
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
        fixtures.forEach(TriggerFixture::close);
        TestDatabase.dispose(database);
    }

    private TriggerFixture instance(String name) {
        TriggerFixture fixture = new TriggerFixture(database, name);
        fixture.release();
        fixtures.add(fixture);
        Dispatcher dispatcher = new Dispatcher(fixture.store, fixture.policies, fixture.executions,
                new Dispatcher.Options(Duration.ofMillis(200), Duration.ofMinutes(2)));
        PolicySchedules schedules = new PolicySchedules(database, fixture.policies, fixture.store,
                (policy, trigger, due) -> {
                    fired.add(new Fired(name, policy, due));
                    dispatcher.requestRun(policy, trigger);
                }, new PolicySchedules.Options(name, Duration.ofMillis(100), Duration.ofHours(1)));
        fixture.policies.onChange(schedules::policyChanged);
        running.add(dispatcher);
        running.add(schedules);
        schedules.start();
        dispatcher.start();
        return fixture;
    }

    @Test
    void aPolicyFiringEveryTwoSeconds_onTwoInstances_firesOnceEachTime() throws Exception {
        TriggerFixture a = instance("instance-a");
        instance("instance-b");
        long policy = a.policy("every-2s", PolicySchedulesTest.EVERY_TWO_SECONDS, List.of(), false, true);

        Thread.sleep(10_000);

        List<Fired> firings = List.copyOf(fired);
        Set<Instant> dueTimes = new HashSet<>();
        for (Fired f : firings) {
            assertEquals(policy, f.policy());
            assertTrue(dueTimes.add(f.due()), "the firing due at " + f.due() + " ran twice: " + firings);
        }
        assertTrue(firings.size() >= 3, "it fired: " + firings);
        List<Execution> executions = a.executionsOf(policy);
        assertTrue(!executions.isEmpty() && executions.size() <= firings.size() + 1,
                "one execution per firing at most (folded when one was active): " + executions.size() + " executions, "
                        + firings.size() + " firings");
        assertTrue(executions.stream().allMatch(e -> e.trigger() == Trigger.Type.SCHEDULED));
    }
}
