package io.berth.sync.policy;

import io.berth.sync.filter.PolicyFilter;

import java.time.Instant;
import java.util.List;

/** A valid push policy to change one field of at a time, for tests. */
final class DraftBuilder {
    String name = "to-site-b";
    String description = "every team image";
    Long sourceRegistryId;
    Long destRegistryId;
    List<PolicyFilter> filters = List.of();
    Trigger trigger = Trigger.manual();
    String destNamespace;
    int destNamespaceReplaceCount = DestinationNames.REPLACE_ALL;
    boolean override = true;
    boolean replicateDeletion;
    boolean copyReferrers = true;
    long bandwidthLimitKiBps;
    int concurrency = PolicyRules.DEFAULT_CONCURRENCY;
    boolean enabled = true;
    boolean rewriteSparseIndex;

    DraftBuilder(long destRegistryId) {
        this.destRegistryId = destRegistryId;
    }

    /** The policy this draft stored as {@code id} should read back as. */
    ReplicationPolicy stored(long id, Instant createdAt, Instant updatedAt) {
        PolicyDraft d = build();
        return new ReplicationPolicy(id, d.name(), d.description(), d.sourceRegistryId(), d.destRegistryId(),
                d.filters(), d.trigger(), d.destNamespace(), d.destNamespaceReplaceCount(), d.override(),
                d.replicateDeletion(), d.copyReferrers(), d.bandwidthLimitKiBps(), d.concurrency(), d.enabled(),
                d.rewriteSparseIndex(), createdAt, updatedAt);
    }

    PolicyDraft build() {
        return new PolicyDraft(name, description, sourceRegistryId, destRegistryId, filters, trigger, destNamespace,
                destNamespaceReplaceCount, override, replicateDeletion, copyReferrers, bandwidthLimitKiBps,
                concurrency, enabled, rewriteSparseIndex);
    }
}
