package io.berth.sync.execution;

import java.util.List;
import java.util.Objects;

/**
 * What one execution covers: everything its policy selects at the source (manual, scheduled and
 * reconcile runs), or only the changes that events reported (event-based runs), each still passed
 * through the policy's filters.
 *
 * @param changes the changes to replicate, in event order; null for a full run
 */
public record ExecutionScope(List<Change> changes) {
    private static final ExecutionScope EVERYTHING = new ExecutionScope(null);

    public ExecutionScope {
        changes = changes == null ? null : List.copyOf(changes);
    }

    /** A full run: list the source, apply the filters, copy what the destination lacks. */
    public static ExecutionScope everything() {
        return EVERYTHING;
    }

    /** Only these changes. */
    public static ExecutionScope of(List<Change> changes) {
        return new ExecutionScope(Objects.requireNonNull(changes, "changes"));
    }

    /** True for a full run. */
    public boolean isEverything() {
        return changes == null;
    }

    /** What a change asks for at the destination. */
    public enum Kind {
        /** Copy the artifact the source reference names now (a push, or a label that now passes the filter). */
        COPY,
        /** Remove the tag, or the manifest when no tag is given, at the destination (when the policy replicates deletions). */
        DELETE
    }

    /**
     * One change at the source.
     *
     * @param repository the source repository
     * @param tag        the tag it concerns, or null for an untagged artifact
     * @param digest     the manifest digest, or null when only the tag is known
     * @param eventId    the outbox event it came from (for logs), or 0
     */
    public record Change(Kind kind, String repository, String tag, String digest, long eventId) {
        public Change {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(repository, "repository");
            if (tag == null && digest == null) {
                throw new IllegalArgumentException("a change names a tag or a digest");
            }
        }
    }
}
