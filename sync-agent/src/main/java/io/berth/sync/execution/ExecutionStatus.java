package io.berth.sync.execution;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

/**
 * Where a replication execution stands, named as the API (and Harbor) write it. {@link #PENDING}
 * and {@link #RUNNING} are active: a policy has at most one active execution.
 */
public enum ExecutionStatus {
    /** Stored; the source is not yet listed. */
    PENDING("Pending"),
    /** Listing the source or copying. */
    RUNNING("Running"),
    /** Every task succeeded or was skipped (none at all counts). */
    SUCCEEDED("Succeeded"),
    /** Some tasks failed, others did not. */
    PARTIAL("Partial"),
    /** Every task failed, or the source could not be listed, or the instance running it stopped. */
    FAILED("Failed"),
    /** Someone stopped it; tasks not finished then are {@code Stopped}. */
    STOPPED("Stopped");

    private final String wireName;

    ExecutionStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the execution is still pending or running. */
    public boolean isActive() {
        return this == PENDING || this == RUNNING;
    }

    /** The status written {@code name}; INVALID_INPUT otherwise. */
    public static ExecutionStatus ofWireName(String name) {
        for (ExecutionStatus status : values()) {
            if (status.wireName.equals(name)) {
                return status;
            }
        }
        throw new RegistryException(ErrorCode.INVALID_INPUT, "unknown execution status '" + name + "'");
    }
}
