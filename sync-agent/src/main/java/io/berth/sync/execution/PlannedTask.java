package io.berth.sync.execution;

import java.util.Objects;

/**
 * What the planner found to do: one artifact reference of the source, its name at the destination,
 * and whether it is copied there or deleted there.
 *
 * @param sourceReference a tag, or a digest for an artifact copied (or deleted) without a tag
 * @param destReference   the tag at the destination, or the digest when there is no tag
 * @param digest          the artifact's manifest digest when the listing (or the event) gave it, or null
 */
public record PlannedTask(String sourceRepository, String sourceReference, String destRepository,
                          String destReference, String digest, TaskOperation operation) {
    public PlannedTask {
        Objects.requireNonNull(operation, "operation");
    }

    /** A copy. */
    public PlannedTask(String sourceRepository, String sourceReference, String destRepository, String destReference,
                       String digest) {
        this(sourceRepository, sourceReference, destRepository, destReference, digest, TaskOperation.COPY);
    }

    /** Whether the destination reference is a digest (the artifact has no tag here). */
    boolean byDigest() {
        return destReference.contains(":");
    }
}
