package io.berth.admin.api.json;

import io.berth.sync.execution.ExecutionTask;

import java.time.Instant;

/**
 * One task of an execution as the API shows it: one artifact reference, what was done with it
 * ({@code operation}: copy, or delete at the destination), where, and how it went ({@code bytes}
 * counts what failed attempts sent too).
 */
public record TaskView(long id, long executionId, String operation, String sourceResource, String destinationResource,
                       String digest, String status, long bytes, int attempts, Instant startTime, Instant endTime) {
    public static TaskView of(ExecutionTask t) {
        return new TaskView(t.id(), t.executionId(), t.operation().wireName(),
                reference(t.sourceRepository(), t.sourceReference()), reference(t.destRepository(), t.destReference()),
                t.digest(), t.status().wireName(), t.bytes(), t.attempts(), t.startedAt(), t.finishedAt());
    }

    private static String reference(String repository, String reference) {
        return repository + (reference.contains(":") ? "@" : ":") + reference;
    }
}
