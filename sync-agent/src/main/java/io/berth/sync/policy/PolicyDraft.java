package io.berth.sync.policy;

import io.berth.sync.filter.PolicyFilter;

import java.util.List;

/**
 * What a replication policy is to be, as created or replaced ({@link Policies}); its filters and
 * trigger were checked when they were made, the rest is checked by {@link PolicyRules}.
 *
 * @param name                      unique among policies
 * @param description               for people, or null
 * @param sourceRegistryId          the registry endpoint copied from; null: this Berth (push mode)
 * @param destRegistryId            the registry endpoint copied to; null: this Berth (pull mode)
 * @param filters                   what to copy; none: everything
 * @param trigger                   when it runs
 * @param destNamespace             the namespace at the destination, or null to keep source names
 * @param destNamespaceReplaceCount how many leading components the namespace replaces ({@link DestinationNames})
 * @param override                  whether a destination tag that points elsewhere is overwritten
 * @param replicateDeletion         whether deletions at the source are made at the destination too
 * @param copyReferrers             whether signatures, SBOMs and other referrers are copied with their subjects
 * @param bandwidthLimitKiBps       the transfer limit in KiB/s for the policy as a whole; 0: none
 * @param concurrency               how many artifacts are copied at once, 1 to {@link PolicyRules#MAX_CONCURRENCY}
 * @param enabled                   whether its schedule and events start it
 * @param rewriteSparseIndex        when a platform filter leaves children of an index out: false copies the
 *                                  index unchanged (the destination must accept it without those children),
 *                                  true pushes a new index of the selected children only (another digest)
 */
public record PolicyDraft(String name, String description, Long sourceRegistryId, Long destRegistryId,
                          List<PolicyFilter> filters, Trigger trigger, String destNamespace,
                          int destNamespaceReplaceCount, boolean override, boolean replicateDeletion,
                          boolean copyReferrers, long bandwidthLimitKiBps, int concurrency, boolean enabled,
                          boolean rewriteSparseIndex) {
    public PolicyDraft {
        filters = filters == null ? List.of() : List.copyOf(filters);
    }

    /** A draft that copies indexes unchanged ({@code rewriteSparseIndex} false). */
    public PolicyDraft(String name, String description, Long sourceRegistryId, Long destRegistryId,
                       List<PolicyFilter> filters, Trigger trigger, String destNamespace, int destNamespaceReplaceCount,
                       boolean override, boolean replicateDeletion, boolean copyReferrers, long bandwidthLimitKiBps,
                       int concurrency, boolean enabled) {
        this(name, description, sourceRegistryId, destRegistryId, filters, trigger, destNamespace,
                destNamespaceReplaceCount, override, replicateDeletion, copyReferrers, bandwidthLimitKiBps, concurrency,
                enabled, false);
    }
}
