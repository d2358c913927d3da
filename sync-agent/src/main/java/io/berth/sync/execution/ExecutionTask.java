package io.berth.sync.execution;

import java.time.Instant;

/**
 * One task of an execution: one artifact reference copied from the source to the destination, or
 * deleted at the destination after a deletion at the source ({@code operation}).
 *
 * @param sourceReference a tag or a digest
 * @param digest          the artifact's manifest digest, once known
 * @param bytes           blob bytes sent for it, those of failed attempts included
 * @param attempts        how many times it was tried
 */
public record ExecutionTask(long id, long executionId, String sourceRepository, String sourceReference,
                            String destRepository, String destReference, String digest, TaskStatus status,
                            long bytes, int attempts, Instant startedAt, Instant finishedAt,
                            TaskOperation operation) {
}
