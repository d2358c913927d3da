package io.berth.sync.execution;

import io.berth.store.error.RegistryException;
import io.berth.store.upstream.BlobSourceException;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.UpstreamException;
import io.berth.sync.copy.ArtifactCopier;
import io.berth.sync.copy.CopyLog;
import io.berth.sync.copy.CopyOutcome;
import io.berth.sync.copy.CopySettings;
import io.berth.sync.policy.ReplicationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * One execution, start to end, on the thread that calls {@link #run}: lists the source (the plan is
 * stored before anything is copied), runs the tasks with the policy's concurrency on virtual threads
 * under one bandwidth limit, retries a failed task with backoff (a failed task never fails the
 * others), and ends the execution Succeeded, Partial, Failed or Stopped.
 */
final class ExecutionRun implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionRun.class);

    private final long executionId;
    private final ReplicationPolicy policy;
    private final ExecutionScope scope;
    private final ReplicationEndpoints endpoints;
    private final ExecutionStore store;
    private final Executions.Options options;
    private final ExecutorService workers;
    private final StopSignal stop;
    private final Clock clock;

    ExecutionRun(long executionId, ReplicationPolicy policy, ExecutionScope scope, ReplicationEndpoints endpoints,
                 ExecutionStore store, Executions.Options options, ExecutorService workers, StopSignal stop,
                 Clock clock) {
        this.executionId = executionId;
        this.policy = policy;
        this.scope = scope;
        this.endpoints = endpoints;
        this.store = store;
        this.options = options;
        this.workers = workers;
        this.stop = stop;
        this.clock = clock;
    }

    @Override
    public void run() {
        if (!store.start(executionId)) {
            return;
        }
        try {
            ReplicationEndpoints.Ends ends = endpoints.of(policy);
            List<Planned> tasks = new ArrayList<>();
            new Planner(policy, ends.source()).plan(task -> tasks.add(new Planned(store.addTask(executionId, task),
                    task)));
            ArtifactCopier copier = new ArtifactCopier(ends.source().reader(), ends.destination().reader(),
                    ends.destination().writer(), settings());
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            Semaphore slots = new Semaphore(policy.concurrency());
            List<Future<?>> running = new ArrayList<>();
            for (Planned task : tasks) {
                slots.acquire();
                running.add(workers.submit(() -> {
                    try {
                        TaskStatus status = runTask(copier, task);
                        (status == TaskStatus.FAILED ? failed : done).incrementAndGet();
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> task : running) {
                task.get();
            }
            store.finish(executionId, stop.getAsBoolean() ? ExecutionStatus.STOPPED
                    : failed.get() == 0 ? ExecutionStatus.SUCCEEDED
                    : done.get() == 0 ? ExecutionStatus.FAILED : ExecutionStatus.PARTIAL, failed.get() == 0 ? null
                    : failed.get() + " of " + tasks.size() + " tasks failed: their logs say why");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Berth is stopping: Executions.close() marks it
        } catch (UpstreamException | RegistryException e) {
            store.finish(executionId, ExecutionStatus.FAILED, "could not list what to copy: " + e.getMessage());
        } catch (Exception e) {
            LOG.warn("replication execution {} of policy '{}' failed", executionId, policy.name(), e);
            store.finish(executionId, ExecutionStatus.FAILED, "the execution failed unexpectedly: " + e);
        }
    }

    private TaskStatus runTask(ArtifactCopier copier, Planned planned) {
        PlannedTask task = planned.task();
        CopyLog log = new CopyLog(clock);
        log.add("copy " + task.sourceRepository() + ":" + task.sourceReference() + " to " + task.destRepository()
                + ":" + task.destReference());
        for (int attempt = 1; ; attempt++) {
            if (stop.getAsBoolean()) {
                log.add("stopped before it " + (attempt == 1 ? "started" : "was tried again"));
                store.finishTask(executionId, planned.id(), TaskStatus.STOPPED, null, 0, log.text());
                return TaskStatus.STOPPED;
            }
            store.startTask(planned.id());
            try {
                CopyOutcome outcome = copier.copy(task.sourceRepository(), task.sourceReference(),
                        task.destRepository(), task.destReference(), log, stop);
                TaskStatus status = outcome.copied() ? TaskStatus.SUCCEEDED : TaskStatus.SKIPPED;
                store.finishTask(executionId, planned.id(), status, outcome.digest().toString(),
                        outcome.bytesSent(), log.text());
                return status;
            } catch (CancellationException e) {
                log.add("stopped: the execution was asked to stop");
                store.finishTask(executionId, planned.id(), TaskStatus.STOPPED, null, 0, log.text());
                return TaskStatus.STOPPED;
            } catch (UpstreamException | BlobSourceException | RegistryException e) {
                boolean again = attempt < options.attemptsPerTask() && retryable(e);
                log.add("attempt " + attempt + " failed: " + e.getMessage() + (again ? "; trying again" : ""));
                if (!again) {
                    store.finishTask(executionId, planned.id(), TaskStatus.FAILED, null, 0, log.text());
                    return TaskStatus.FAILED;
                }
                store.writeLog(planned.id(), log.text());
                if (!pause(options.taskBackoff().multipliedBy(1L << Math.min(attempt - 1, 6)))) {
                    continue; // stopped or interrupted: the check above ends it
                }
            } catch (RuntimeException e) {
                LOG.warn("replication task {} failed unexpectedly", planned.id(), e);
                log.add("failed unexpectedly: " + e);
                store.finishTask(executionId, planned.id(), TaskStatus.FAILED, null, 0, log.text());
                return TaskStatus.FAILED;
            }
        }
    }

    /** A source whose bytes are not the blob, or a registry that refused what was sent, will not change by trying again. */
    private static boolean retryable(Exception e) {
        if (e instanceof UpstreamException u) {
            return switch (u.kind()) {
                case UNREACHABLE, TIMEOUT, SERVER_ERROR, RATE_LIMITED, NOT_ASKED -> true;
                default -> false;
            };
        }
        if (e instanceof BlobSourceException) {
            return e.getCause() instanceof UpstreamException u && retryable(u);
        }
        return false;
    }

    /** Waits, watching for a stop; false when stopped or interrupted. */
    private boolean pause(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < until) {
                if (stop.getAsBoolean()) {
                    return false;
                }
                Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.stop();
            return false;
        }
    }

    private CopySettings settings() {
        PushOptions push = options.push();
        LongConsumer throttle = bytes -> { };
        long limit = policy.bandwidthLimitKiBps() * 1024;
        if (limit > 0) {
            throttle = new BandwidthLimit(limit, stop);
            // A chunk is cut as stuck below the minimum rate: keep it well under each task's share.
            push = push.withMinimumRate(Math.max(1, Math.min(push.minimumRate(), limit / (2L * policy.concurrency()))));
        }
        return new CopySettings(policy.selection().platforms(), policy.override(), policy.copyReferrers(),
                push.withHooks(throttle, stop), CopySettings.MAX_MANIFEST_SIZE);
    }

    private record Planned(long id, PlannedTask task) {
    }
}
