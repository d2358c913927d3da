package io.berth.sync.policy;

import io.berth.sync.filter.Filters;
import io.berth.sync.filter.PolicyFilter;

import java.time.Instant;
import java.util.List;

/**
 * A stored replication policy: which registry it copies from and to (one side is always this
 * Berth), what it selects, how it names what it copies at the destination, when it runs, and how
 * hard it may push. Fields as in {@link PolicyDraft}.
 *
 * @param id        its id, for the API and executions
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record ReplicationPolicy(long id, String name, String description, Long sourceRegistryId,
                                Long destRegistryId, List<PolicyFilter> filters, Trigger trigger,
                                String destNamespace, int destNamespaceReplaceCount, boolean override,
                                boolean replicateDeletion, boolean copyReferrers, long bandwidthLimitKiBps,
                                int concurrency, boolean enabled, boolean rewriteSparseIndex, Instant createdAt,
                                Instant updatedAt) {
    /** Which side is this Berth. */
    public enum Mode {
        /** From this Berth to another registry. */
        PUSH,
        /** From another registry into this Berth. */
        PULL
    }

    public ReplicationPolicy {
        filters = List.copyOf(filters);
    }

    /** A policy that copies indexes unchanged ({@code rewriteSparseIndex} false). */
    public ReplicationPolicy(long id, String name, String description, Long sourceRegistryId, Long destRegistryId,
                             List<PolicyFilter> filters, Trigger trigger, String destNamespace,
                             int destNamespaceReplaceCount, boolean override, boolean replicateDeletion,
                             boolean copyReferrers, long bandwidthLimitKiBps, int concurrency, boolean enabled,
                             Instant createdAt, Instant updatedAt) {
        this(id, name, description, sourceRegistryId, destRegistryId, filters, trigger, destNamespace,
                destNamespaceReplaceCount, override, replicateDeletion, copyReferrers, bandwidthLimitKiBps, concurrency,
                enabled, false, createdAt, updatedAt);
    }

    /** Push when the source is this Berth, pull when the destination is. */
    public Mode mode() {
        return sourceRegistryId == null ? Mode.PUSH : Mode.PULL;
    }

    /** Its filters, compiled to answer what to copy. */
    public Filters selection() {
        return Filters.of(filters);
    }

    /** The destination's name for the source repository {@code repository} ({@link DestinationNames}). */
    public String destinationName(String repository) {
        return DestinationNames.rewrite(repository, destNamespace, destNamespaceReplaceCount);
    }
}
