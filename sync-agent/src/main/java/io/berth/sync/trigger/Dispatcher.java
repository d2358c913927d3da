package io.berth.sync.trigger;

import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.sync.execution.Execution;
import io.berth.sync.execution.ExecutionScope;
import io.berth.sync.execution.ExecutionScope.Change;
import io.berth.sync.execution.Executions;
import io.berth.sync.policy.Policies;
import io.berth.sync.policy.ReplicationPolicy;
import io.berth.sync.policy.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts the executions that triggers recorded ({@link TriggerStore}), one per policy at a time: a
 * loop that looks every {@link Options#pollInterval} (and at once when woken: a trigger recorded
 * here) for policies with work and no active execution, on whichever instance looks first. The
 * changes events reported start one event-based execution covering all of them; waiting full-run
 * requests start one full run (however many were folded). What fires while an execution is active
 * waits for the next look after it has ended. A claim keeps two instances from starting the same
 * work; a start that fails (another execution became active, the policy was disabled) gives it back.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Caller WHO = Caller.system("berth");

    /**
     * @param pollInterval how often the loop looks for work (an execution that ended is noticed then)
     * @param staleClaim   after how long a claim that never became an execution is given back
     */
    public record Options(Duration pollInterval, Duration staleClaim) {
        /** Every 2 s; claims given back after 2 minutes. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(2), Duration.ofMinutes(2));
        }
    }

    private final TriggerStore store;
    private final Policies policies;
    private final Executions executions;
    private final Options options;
    private final AtomicBoolean wokenUp = new AtomicBoolean();
    private volatile boolean running;
    private Thread thread;

    public Dispatcher(TriggerStore store, Policies policies, Executions executions, Options options) {
        this.store = store;
        this.policies = policies;
        this.executions = executions;
        this.options = options;
    }

    /** Starts the loop on a virtual thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("berth-replication-dispatcher").start(this::loop);
    }

    /** Asks for a full run of a policy (folded into a waiting one) and looks for work at once. */
    public void requestRun(long policyId, Trigger.Type trigger) {
        store.requestRun(policyId, trigger);
        wakeUp();
    }

    /** Something was recorded: look now rather than at the next poll. Never blocks. */
    public void wakeUp() {
        wokenUp.set(true);
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** One look: ends what ended executions took, then starts what waits. */
    void dispatchOnce() {
        store.sweep(options.staleClaim());
        for (long policyId : store.policiesWithWork()) {
            try {
                dispatch(policyId);
            } catch (RuntimeException e) {
                LOG.warn("could not start the replication that triggers of policy {} asked for; will try again",
                        policyId, e);
            }
        }
    }

    private void dispatch(long policyId) {
        Optional<ReplicationPolicy> found = find(policyId);
        if (found.isEmpty()) {
            return; // deleted: its rows went with it
        }
        ReplicationPolicy policy = found.get();
        boolean takesEvents = policy.trigger().type() == Trigger.Type.EVENT_BASED && policy.sourceRegistryId() == null;
        if (!policy.enabled() || !takesEvents) {
            int dropped = store.dropWork(policyId, !policy.enabled(), true);
            if (dropped > 0) {
                LOG.info("dropped {} waiting triggers of replication policy '{}': it is {}", dropped, policy.name(),
                        policy.enabled() ? "no longer event-based" : "disabled");
            }
            if (!policy.enabled()) {
                return;
            }
        }
        String claim = UUID.randomUUID().toString();
        List<Change> changes = takesEvents ? store.claimChanges(policyId, claim) : List.of();
        if (!changes.isEmpty()) {
            Optional<Execution> started = start(policy, Trigger.Type.EVENT_BASED, ExecutionScope.of(changes));
            if (started.isPresent()) {
                store.attachChanges(claim, started.get().id());
            } else {
                store.releaseChanges(claim);
            }
            return; // a waiting full run follows once this execution has ended
        }
        Optional<Trigger.Type> requested = store.claimRun(policyId, claim);
        if (requested.isPresent()) {
            if (start(policy, requested.get(), ExecutionScope.everything()).isPresent()) {
                store.finishRun(policyId, claim);
            } else {
                store.releaseRun(claim);
            }
        }
    }

    private Optional<Execution> start(ReplicationPolicy policy, Trigger.Type trigger, ExecutionScope scope) {
        try {
            Execution execution = executions.start(policy.id(), trigger, WHO, scope);
            LOG.info("started {} execution {} of replication policy '{}'{}", trigger.wireName(), execution.id(),
                    policy.name(), scope.isEverything() ? "" : " for " + scope.changes().size() + " changes");
            return Optional.of(execution);
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.CONFLICT) {
                LOG.warn("could not start a {} execution of replication policy '{}': {}", trigger.wireName(),
                        policy.name(), e.getMessage());
            }
            return Optional.empty(); // CONFLICT: one became active meanwhile; this waits for it to end
        }
    }

    private Optional<ReplicationPolicy> find(long policyId) {
        try {
            return Optional.of(policies.get(policyId));
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.NO_SUCH_RESOURCE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void loop() {
        long interval = options.pollInterval().toNanos();
        while (running) {
            wokenUp.set(false);
            try {
                dispatchOnce();
            } catch (RuntimeException e) {
                LOG.warn("looking for replication triggers failed; will look again in {}", options.pollInterval(), e);
            }
            if (!wokenUp.get() && running) {
                LockSupport.parkNanos(this, interval);
            }
        }
    }

    /** Stops the loop; executions it started go on (Executions stops them). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                if (!t.join(Duration.ofSeconds(10))) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
