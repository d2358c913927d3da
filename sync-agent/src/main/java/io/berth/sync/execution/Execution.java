package io.berth.sync.execution;

import io.berth.sync.policy.Trigger;

import java.time.Instant;

/**
 * One run of a replication policy, as stored.
 *
 * @param trigger       what started it
 * @param stopRequested whether someone asked it to stop
 * @param startedAt     when it started listing the source, or null
 * @param finishedAt    when it ended, or null while active
 * @param counts        its tasks by outcome, and the blob bytes sent
 * @param error         why it failed as a whole (the source could not be listed, its instance stopped), or null
 */
public record Execution(long id, long policyId, ExecutionStatus status, Trigger.Type trigger, boolean stopRequested,
                        Instant createdAt, Instant startedAt, Instant finishedAt, Counts counts, String error) {
    /** Tasks by outcome, and the blob bytes sent. */
    public record Counts(int total, int succeeded, int failed, int stopped, int skipped, long bytes) {
        /** Tasks not finished yet. */
        public int inProgress() {
            return Math.max(0, total - succeeded - failed - stopped - skipped);
        }
    }
}
