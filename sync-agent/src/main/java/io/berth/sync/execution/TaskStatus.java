package io.berth.sync.execution;

/** Where one task (one artifact reference) of an execution stands, named as the API writes it. */
public enum TaskStatus {
    /** Planned, not started. */
    PENDING("Pending"),
    /** Copying. */
    RUNNING("Running"),
    /** Copied. */
    SUCCEEDED("Succeeded"),
    /** Nothing to do: the destination had it, or override is off and its tag points elsewhere (the log says which). */
    SKIPPED("Skipped"),
    /** Failed after its retries; the log says why. */
    FAILED("Failed"),
    /** The execution was stopped before this task finished. */
    STOPPED("Stopped");

    private final String wireName;

    TaskStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The status written {@code name}. */
    public static TaskStatus ofWireName(String name) {
        for (TaskStatus status : values()) {
            if (status.wireName.equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown task status '" + name + "'");
    }
}
