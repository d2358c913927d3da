package io.berth.admin.replication;

import io.berth.store.event.EventConsumers;
import io.berth.store.meta.Transactions;
import io.berth.sync.execution.Executions;
import io.berth.sync.policy.Policies;
import io.berth.sync.trigger.Dispatcher;
import io.berth.sync.trigger.PolicySchedules;
import io.berth.sync.trigger.ReplicationEventConsumer;
import io.berth.sync.trigger.TriggerStore;
import io.dropwizard.lifecycle.Managed;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * What starts replication besides a person, with the application: the dispatcher (one execution
 * per policy, triggers folded), the schedules of scheduled policies and the reconcile of
 * event-based ones (db-scheduler over the shared database), and the event consumer of event-based
 * policies. Policies changed through the API are (re)scheduled at once. Managed after the
 * executions, so that it stops before them: no new execution starts while they are being stopped.
 */
public final class ReplicationTriggers implements Managed {
    /** How often db-scheduler looks for due firings: a firing may be this late. */
    private static final Duration SCHEDULE_POLL = Duration.ofSeconds(2);

    private final Policies policies;
    private final EventConsumers consumers;
    private final Dispatcher dispatcher;
    private final PolicySchedules schedules;
    private final ReplicationEventConsumer consumer;

    public ReplicationTriggers(DataSource dataSource, Transactions tx, Policies policies, Executions executions,
                               EventConsumers consumers, ReplicationSettings settings, Clock clock) {
        this.policies = policies;
        this.consumers = consumers;
        TriggerStore store = new TriggerStore(tx, clock);
        this.dispatcher = new Dispatcher(store, policies, executions, Dispatcher.Options.defaults());
        this.schedules = new PolicySchedules(dataSource, policies, store,
                (policyId, trigger, due) -> dispatcher.requestRun(policyId, trigger),
                new PolicySchedules.Options("berth-" + UUID.randomUUID(), SCHEDULE_POLL,
                        settings.reconcileIntervalValue()));
        this.consumer = new ReplicationEventConsumer(store, policies, new LocalLabels(tx), dispatcher::wakeUp);
    }

    @Override
    public void start() {
        policies.onChange(schedules::policyChanged);
        schedules.start();
        dispatcher.start();
        consumers.register(consumer);
    }

    @Override
    public void stop() {
        dispatcher.close();
        schedules.close();
    }
}
