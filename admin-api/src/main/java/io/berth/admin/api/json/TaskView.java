package io.berth.admin.api.json;

import io.berth.sync.execution.ExecutionTask;

import java.time.Instant;

/** One task of an execution as the API shows it: one artifact reference, where it went, and how it went. */
public record TaskView(long id, long executionId, String sourceResource, String destinationResource, String digest,
                       String status, long bytes, int attempts, Instant startTime, Instant endTime) {
    public static TaskView of(ExecutionTask t) {
        return new TaskView(t.id(), t.executionId(), reference(t.sourceRepository(), t.sourceReference()),
                reference(t.destRepository(), t.destReference()), t.digest(), t.status().wireName(), t.bytes(),
                t.attempts(), t.startedAt(), t.finishedAt());
    }

    private static String reference(String repository, String reference) {
        return repository + (reference.contains(":") ? "@" : ":") + reference;
    }
}
