package io.berth.sync.execution;

import io.berth.store.error.RegistryException;
import io.berth.store.upstream.BlobSourceException;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.oci.Digest;
import io.berth.sync.copy.ArtifactCopier;
import io.berth.sync.copy.ArtifactDeleter;
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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * One execution, start to end, on the thread that calls {@link #run}: plans its scope (a full run
 * lists the source with {@link Planner}; a run of changes plans them with {@link ScopedPlanner}; the
 * plan is stored before anything is copied), runs the tasks (copies, and deletions replicated with
 * {@link ArtifactDeleter}) with the policy's concurrency on virtual threads
 * under one bandwidth limit, retries a failed task with backoff (a failed task never fails the
 * others), and ends the execution Succeeded, Partial, Failed or Stopped. A task's bytes are those
 * every attempt sent, so a failed or stopped task shows what it spent.
 *
 * <p>Deletions are replicated from deletion events only, as Harbor does: a full run copies what the
 * source has and deletes nothing, even with {@code replicateDeletion}, because what the destination
 * has beyond the source may not be the policy's to delete (it was pushed there directly, by another
 * policy, or before a filter changed), and the V2 API cannot tell.
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
            List<PlannedTask> plan = new ArrayList<>();
            if (scope.isEverything()) {
                new Planner(policy, ends.source()).plan(plan::add);
            } else {
                new ScopedPlanner(policy, ends.source()).plan(scope.changes(), plan::add);
            }
            List<Long> ids = store.addTasks(executionId, plan);
            List<Planned> tasks = new ArrayList<>(plan.size());
            for (int i = 0; i < plan.size(); i++) {
                tasks.add(new Planned(ids.get(i), plan.get(i)));
            }
            Actions actions = new Actions(new ArtifactCopier(ends.source().reader(), ends.destination().reader(),
                    ends.destination().writer(), settings(ends.source())), new ArtifactDeleter(ends.source().reader(),
                    ends.destination().reader(), ends.destination().writer(), policy.override()));
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            Semaphore slots = new Semaphore(policy.concurrency());
            List<Future<?>> running = new ArrayList<>();
            for (Planned task : tasks) {
                slots.acquire();
                running.add(workers.submit(() -> {
                    try {
                        TaskStatus status = runTask(actions, task);
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

    private TaskStatus runTask(Actions actions, Planned planned) {
        PlannedTask task = planned.task();
        CopyLog log = new CopyLog(clock);
        String from = reference(task.sourceRepository(), task.sourceReference());
        String to = reference(task.destRepository(), task.destReference());
        log.add(task.operation() == TaskOperation.DELETE ? "delete " + to + " (deleted at the source: " + from + ")"
                : "copy " + from + " to " + to);
        LongAdder sent = new LongAdder(); // every attempt's bytes: what the task spent, whatever its end
        for (int attempt = 1; ; attempt++) {
            if (stop.getAsBoolean()) {
                log.add("stopped before it " + (attempt == 1 ? "started" : "was tried again"));
                store.finishTask(executionId, planned.id(), TaskStatus.STOPPED, null, sent.sum(), log.text());
                return TaskStatus.STOPPED;
            }
            store.startTask(planned.id());
            try {
                TaskStatus status;
                String digest;
                if (task.operation() == TaskOperation.DELETE) {
                    status = delete(actions.deleter(), task, log);
                    digest = null;
                } else {
                    CopyOutcome outcome = actions.copier().copy(task.sourceRepository(), task.sourceReference(),
                            task.destRepository(), task.byDigest() ? null : task.destReference(), log, stop, sent);
                    status = outcome.copied() ? TaskStatus.SUCCEEDED : TaskStatus.SKIPPED;
                    digest = outcome.digest().toString();
                }
                store.finishTask(executionId, planned.id(), status, digest, sent.sum(), log.text());
                return status;
            } catch (CancellationException e) {
                log.add("stopped: the execution was asked to stop");
                store.finishTask(executionId, planned.id(), TaskStatus.STOPPED, null, sent.sum(), log.text());
                return TaskStatus.STOPPED;
            } catch (UpstreamException | BlobSourceException | RegistryException e) {
                boolean again = attempt < options.attemptsPerTask() && retryable(e);
                log.add("attempt " + attempt + " failed: " + e.getMessage() + (again ? "; trying again" : "")
                        + (sent.sum() > 0 ? " (" + sent.sum() + " bytes sent so far)" : ""));
                if (!again) {
                    store.finishTask(executionId, planned.id(), TaskStatus.FAILED, null, sent.sum(), log.text());
                    return TaskStatus.FAILED;
                }
                store.writeLog(planned.id(), log.text());
                if (!pause(options.taskBackoff().multipliedBy(1L << Math.min(attempt - 1, 6)))) {
                    continue; // stopped or interrupted: the check above ends it
                }
            } catch (RuntimeException e) {
                LOG.warn("replication task {} failed unexpectedly", planned.id(), e);
                log.add("failed unexpectedly: " + e);
                store.finishTask(executionId, planned.id(), TaskStatus.FAILED, null, sent.sum(), log.text());
                return TaskStatus.FAILED;
            }
        }
    }

    /** Replicates one deletion: Succeeded when something was deleted, Skipped when nothing was (or may be). */
    private static TaskStatus delete(ArtifactDeleter deleter, PlannedTask task, CopyLog log) throws UpstreamException {
        String tag = task.byDigest() ? null : task.sourceReference();
        Digest digest = task.digest() != null ? Digest.parse(task.digest())
                : tag == null ? Digest.parse(task.sourceReference()) : null;
        return deleter.delete(task.sourceRepository(), tag, digest, task.destRepository(), log) ? TaskStatus.SUCCEEDED
                : TaskStatus.SKIPPED;
    }

    private static String reference(String repository, String reference) {
        return repository + (reference.contains(":") ? "@" : ":") + reference;
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

    private CopySettings settings(ReplicationEndpoints.Side source) {
        PushOptions push = source.verifiedReads() ? options.push().withoutSourceCheck() : options.push();
        LongConsumer throttle = bytes -> { };
        long limit = policy.bandwidthLimitKiBps() * 1024;
        if (limit > 0) {
            throttle = new BandwidthLimit(limit, stop);
            // A chunk is cut as stuck below the minimum rate: keep it well under each task's share.
            push = push.withMinimumRate(Math.max(1, Math.min(push.minimumRate(), limit / (2L * policy.concurrency()))));
        }
        return new CopySettings(policy.selection().platforms(), policy.override(), policy.copyReferrers(),
                push.withHooks(throttle, stop), CopySettings.MAX_MANIFEST_SIZE, policy.rewriteSparseIndex());
    }

    private record Planned(long id, PlannedTask task) {
    }

    /** What the tasks do at the destination. */
    private record Actions(ArtifactCopier copier, ArtifactDeleter deleter) {
    }
}
