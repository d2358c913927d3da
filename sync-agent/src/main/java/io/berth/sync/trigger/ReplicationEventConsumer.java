package io.berth.sync.trigger;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.event.EventConsumer;
import io.berth.store.event.EventType;
import io.berth.store.event.RegistryEvent;
import io.berth.sync.execution.ReplicationEndpoints.LabelLookup;
import io.berth.sync.filter.Filters;
import io.berth.sync.policy.Policies;
import io.berth.sync.policy.ReplicationPolicy;
import io.berth.sync.policy.Trigger;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Event-based replication's reader of the outbox, with its own durable cursor ({@value #NAME}):
 * for every push, tag deletion, artifact deletion and label change at this Berth, records in one
 * transaction the change each enabled event-based push policy asks for ({@link EventChanges}), then
 * tells the dispatcher. A batch delivered again (delivery is at least once) records nothing twice:
 * a change is keyed by policy and event. A restart continues from the cursor, and what was recorded
 * but not yet replicated waits in the database.
 *
 * <p>It starts at the head of the outbox the first time it runs ({@link Start#HEAD}): what was pushed
 * before replication existed is not an event to react to, and a policy's first full run (started by
 * hand, or by the reconcile) copies it.
 */
public final class ReplicationEventConsumer implements EventConsumer {
    /** The cursor's name. */
    public static final String NAME = "replication";
    private static final Set<EventType> RELEVANT = EnumSet.of(EventType.PUSHED, EventType.TAG_DELETED,
            EventType.DELETED, EventType.LABEL_ADDED, EventType.LABEL_REMOVED);

    private final TriggerStore store;
    private final Policies policies;
    private final LabelLookup labels;
    private final Runnable recorded;

    /**
     * @param labels   the labels an artifact of this Berth carries, for policies with label filters
     * @param recorded told (never blocking) after changes were recorded, e.g. to wake the dispatcher
     */
    public ReplicationEventConsumer(TriggerStore store, Policies policies, LabelLookup labels, Runnable recorded) {
        this.store = store;
        this.policies = policies;
        this.labels = labels;
        this.recorded = recorded;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Start start() {
        return Start.HEAD;
    }

    @Override
    public void accept(List<RegistryEvent> batch) {
        List<RegistryEvent> relevant = batch.stream().filter(e -> RELEVANT.contains(e.type())).toList();
        if (relevant.isEmpty()) {
            return;
        }
        List<Candidate> candidates = candidates();
        List<TriggerStore.PolicyChange> changes = new ArrayList<>();
        for (RegistryEvent event : relevant) {
            for (Candidate candidate : candidates) {
                EventChanges.of(event, candidate.policy(), candidate.filters(), labels)
                        .ifPresent(change -> changes.add(new TriggerStore.PolicyChange(candidate.policy().id(), change)));
            }
        }
        store.record(changes);
        if (!changes.isEmpty()) {
            recorded.run();
        }
    }

    /** The enabled event-based policies whose source is this Berth, as they are now. */
    private List<Candidate> candidates() {
        List<Candidate> candidates = new ArrayList<>();
        for (long id : store.policyIds(Trigger.Type.EVENT_BASED, true)) {
            try {
                ReplicationPolicy policy = policies.get(id);
                if (policy.enabled() && policy.sourceRegistryId() == null
                        && policy.trigger().type() == Trigger.Type.EVENT_BASED) {
                    candidates.add(new Candidate(policy, policy.selection()));
                }
            } catch (RegistryException e) {
                if (e.code() != ErrorCode.NO_SUCH_RESOURCE) {
                    throw e;
                }
            }
        }
        return candidates;
    }

    private record Candidate(ReplicationPolicy policy, Filters filters) {
    }
}
