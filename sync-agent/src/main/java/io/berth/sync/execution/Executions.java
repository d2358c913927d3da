package io.berth.sync.execution;

import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.upstream.PushOptions;
import io.berth.sync.policy.Policies;
import io.berth.sync.policy.ReplicationPolicy;
import io.berth.sync.policy.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops replication executions on this instance. {@link #start} stores the execution
 * (one active per policy) and runs it in the background on virtual threads; {@link #stop} sets its
 * stop flag, which its pushes see within about a second, here or on the instance running it.
 *
 * <p>Executions are not resumed after a restart: each instance touches the heartbeat of those it
 * runs, and one whose heartbeat is older than three intervals belonged to an instance that stopped
 * and is marked Failed (by whichever instance notices first, at its start and every heartbeat), its
 * unfinished tasks with it; what it copied stays at the destination, and the next run skips it. At
 * shutdown this instance's active executions are marked Failed at once. Methods block on the database.
 */
public final class Executions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Executions.class);
    static final String SHUT_DOWN = "Berth was stopped before this execution finished: start the policy again;"
            + " what was copied stays at the destination";

    /**
     * How executions run.
     *
     * @param attemptsPerTask how many times a task is tried before it fails
     * @param taskBackoff     the wait before a task's second try, doubled for each further one
     * @param heartbeat       how often running executions are marked alive (and abandoned ones looked for)
     * @param push            how blobs are pushed (chunks, resumes); the execution adds its throttle and stop
     */
    public record Options(int attemptsPerTask, Duration taskBackoff, Duration heartbeat, PushOptions push) {
        public Options {
            Objects.requireNonNull(push, "push");
            if (attemptsPerTask < 1 || taskBackoff.isNegative() || heartbeat.isNegative() || heartbeat.isZero()) {
                throw new IllegalArgumentException("execution options out of range: " + this);
            }
        }

        /**
         * Three tries per task from a 2 s backoff, a 10 s heartbeat (an instance that died holds its
         * policies up for half a minute), the default push options.
         */
        public static Options defaults() {
            return new Options(3, Duration.ofSeconds(2), Duration.ofSeconds(10), PushOptions.defaults());
        }
    }

    private final ExecutionStore store;
    private final Policies policies;
    private final ReplicationEndpoints endpoints;
    private final Options options;
    private final Clock clock;
    private final Map<Long, StopSignal> running = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("berth-replication-", 0).factory());
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("berth-replication-heartbeat").daemon().factory());

    public Executions(ExecutionStore store, Policies policies, ReplicationEndpoints endpoints, Options options,
                      Clock clock) {
        this.store = store;
        this.policies = policies;
        this.endpoints = endpoints;
        this.options = options;
        this.clock = clock;
    }

    /** Fails executions abandoned by stopped instances, now and at every heartbeat. */
    public void startHeartbeat() {
        sweep();
        long every = options.heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.warn("replication heartbeat failed; will try again in {}", options.heartbeat(), e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Marks this instance's executions alive and fails abandoned ones; called at every heartbeat. */
    public void sweep() {
        int failed = store.sweep(options.heartbeat().multipliedBy(3));
        if (failed > 0) {
            LOG.warn("{} replication executions were left unfinished by a Berth instance that stopped; marked them"
                    + " failed", failed);
        }
    }

    /**
     * Starts an execution of a policy and returns it, pending. NO_SUCH_RESOURCE for an unknown policy,
     * INVALID_INPUT for a disabled one, CONFLICT while the policy has an active execution.
     */
    public Execution start(long policyId, Trigger.Type trigger) {
        return start(policyId, trigger, Caller.system("berth"));
    }

    /** As {@link #start(long, Trigger.Type)}, audited as {@code who}'s. */
    public Execution start(long policyId, Trigger.Type trigger, Caller who) {
        return start(policyId, trigger, who, ExecutionScope.everything());
    }

    /**
     * As {@link #start(long, Trigger.Type, Caller)}, covering {@code scope}: everything the policy
     * selects, or only the changes events reported (copies, and deletions when the policy replicates them).
     */
    public Execution start(long policyId, Trigger.Type trigger, Caller who, ExecutionScope scope) {
        Objects.requireNonNull(scope, "scope");
        ReplicationPolicy policy = policies.get(policyId);
        if (!policy.enabled()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "replication policy '" + policy.name() + "' is"
                    + " disabled: enable it (PUT /api/v1/replication/policies/" + policyId + " with \"enabled\":true)"
                    + " before running it");
        }
        Execution execution = store.create(policyId, trigger, who);
        StopSignal stop = new StopSignal(store, execution.id());
        running.put(execution.id(), stop);
        ExecutionRun run = new ExecutionRun(execution.id(), policy, scope, endpoints, store, options, workers, stop,
                clock);
        try {
            workers.execute(() -> {
                try {
                    run.run();
                } finally {
                    running.remove(execution.id());
                }
            });
        } catch (RejectedExecutionException e) {
            running.remove(execution.id());
            store.finish(execution.id(), ExecutionStatus.FAILED, SHUT_DOWN);
            throw RegistryException.retryLater(ErrorCode.UNAVAILABLE, "Berth is stopping: start the execution again"
                    + " once it is back", Duration.ofSeconds(5));
        }
        return execution;
    }

    /**
     * Asks an execution to stop and returns it; its tasks not finished become Stopped within seconds.
     * One that has ended is returned as it is. NO_SUCH_RESOURCE when there is none.
     */
    public Execution stop(long executionId, Caller who) {
        Execution execution = store.requestStop(executionId, who);
        StopSignal local = running.get(executionId);
        if (local != null) {
            local.stop();
        }
        return execution;
    }

    /** The executions and tasks as stored, for reading. */
    public ExecutionStore store() {
        return store;
    }

    /** Stops running executions (they end Failed, saying Berth stopped) and the heartbeat. */
    @Override
    public void close() {
        heartbeats.shutdownNow();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("replication executions did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.failOwn(SHUT_DOWN);
        } catch (RuntimeException e) {
            LOG.warn("could not mark this instance's unfinished replication executions failed; other instances will",
                    e);
        }
    }
}
