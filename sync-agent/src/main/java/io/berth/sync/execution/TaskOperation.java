package io.berth.sync.execution;

/** What one task does at the destination, named as the API and the {@code replication_task.operation} column write it. */
public enum TaskOperation {
    /** Copy the source's artifact reference to the destination. */
    COPY("copy"),
    /** Delete at the destination what a deletion at the source removed (the policy replicates deletions). */
    DELETE("delete");

    private final String wireName;

    TaskOperation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The operation written {@code name}. */
    public static TaskOperation ofWireName(String name) {
        for (TaskOperation operation : values()) {
            if (operation.wireName.equals(name)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("unknown task operation '" + name + "'");
    }
}
