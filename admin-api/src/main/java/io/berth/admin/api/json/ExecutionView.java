package io.berth.admin.api.json;

import io.berth.sync.execution.Execution;

import java.time.Instant;

/**
 * A replication execution as the API shows it: its status (Pending, Running, Succeeded, Partial,
 * Failed, Stopped), what triggered it, when it ran, its tasks by outcome and the bytes it sent.
 */
public record ExecutionView(long id, long policyId, String status, String trigger, boolean stopRequested,
                            Instant createdAt, Instant startTime, Instant endTime, int total, int succeeded,
                            int failed, int stopped, int skipped, int inProgress, long bytes, String statusText) {
    public static ExecutionView of(Execution e) {
        Execution.Counts c = e.counts();
        return new ExecutionView(e.id(), e.policyId(), e.status().wireName(), e.trigger().wireName(),
                e.stopRequested(), e.createdAt(), e.startedAt(), e.finishedAt(), c.total(), c.succeeded(), c.failed(),
                c.stopped(), c.skipped(), c.inProgress(), c.bytes(), e.error());
    }
}
