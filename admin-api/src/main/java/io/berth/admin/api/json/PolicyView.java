package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.sync.filter.FilterJson;
import io.berth.sync.policy.ReplicationPolicy;

import java.time.Instant;

/** A replication policy as the API shows it: the request's fields, its id and when it was created and changed. */
public record PolicyView(long id, String name, String description, Long sourceRegistryId, Long destRegistryId,
                         JsonNode filters, TriggerView trigger, String destNamespace, int destNamespaceReplaceCount,
                         boolean override, boolean replicateDeletion, boolean copyReferrers, long bandwidthLimitKiBps,
                         int concurrency, boolean enabled, boolean rewriteSparseIndex, Instant createdAt,
                         Instant updatedAt) {
    public static PolicyView of(ReplicationPolicy p) {
        return new PolicyView(p.id(), p.name(), p.description(), p.sourceRegistryId(), p.destRegistryId(),
                FilterJson.write(p.filters()), new TriggerView(p.trigger().type().wireName(), p.trigger().cron()),
                p.destNamespace(), p.destNamespaceReplaceCount(), p.override(), p.replicateDeletion(),
                p.copyReferrers(), p.bandwidthLimitKiBps(), p.concurrency(), p.enabled(), p.rewriteSparseIndex(),
                p.createdAt(), p.updatedAt());
    }

    /** {@code {"type":…}}, with {@code "cron"} for a scheduled trigger. */
    public record TriggerView(String type, @JsonInclude(JsonInclude.Include.NON_NULL) String cron) {
    }
}
