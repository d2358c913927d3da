package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.sync.filter.FilterJson;
import io.berth.sync.policy.DestinationNames;
import io.berth.sync.policy.PolicyDraft;
import io.berth.sync.policy.PolicyRules;
import io.berth.sync.policy.Trigger;

/**
 * The body of {@code POST /replication/policies} and {@code PUT /replication/policies/{id}}, in
 * Harbor's shape: {@code name} and one of {@code sourceRegistryId} (pull from it into this Berth)
 * and {@code destRegistryId} (push from this Berth to it) required; {@code filters} as
 * {@link FilterJson} reads them; {@code trigger} {@code {"type":"manual"}} (the default),
 * {@code {"type":"scheduled","cron":…}} with six cron fields, seconds first
 * ({@link io.berth.sync.policy.CronSchedule}), or {@code {"type":"event_based"}}. Absent
 * fields take their defaults, also on a {@code PUT}, which replaces the whole policy:
 * {@code destNamespaceReplaceCount} -1, {@code override} true, {@code replicateDeletion} false,
 * {@code copyReferrers} true, {@code bandwidthLimitKiBps} 0 (no limit), {@code concurrency} 4,
 * {@code enabled} true, {@code rewriteSparseIndex} false (true: when the platform filter leaves
 * children of an index out, push a new index of the selected children, whose digest differs from
 * the source's, for destinations that refuse an index without all its children). The read-only
 * fields of an answer ({@code id}, {@code createdAt}, {@code updatedAt}) are ignored, so a policy
 * read with {@code GET} can be changed and sent back.
 */
@JsonIgnoreProperties({"id", "createdAt", "updatedAt"})
public record PolicyRequest(String name, String description, Long sourceRegistryId, Long destRegistryId,
                            JsonNode filters, TriggerRequest trigger, String destNamespace,
                            Integer destNamespaceReplaceCount, Boolean override, Boolean replicateDeletion,
                            Boolean copyReferrers, Long bandwidthLimitKiBps, Integer concurrency, Boolean enabled,
                            Boolean rewriteSparseIndex) {
    /** {@code {"type": manual | scheduled | event_based, "cron": six fields, for scheduled only}}. */
    public record TriggerRequest(String type, String cron) {
        Trigger toTrigger() {
            return Trigger.of(Trigger.Type.ofWireName(Fields.required(type, "trigger.type")), cron);
        }
    }

    /** The policy this asks for; INVALID_INPUT when a filter or the trigger is of the wrong shape. */
    public PolicyDraft draft() {
        return new PolicyDraft(name, description, sourceRegistryId, destRegistryId, FilterJson.read(filters),
                trigger == null ? Trigger.manual() : trigger.toTrigger(), destNamespace,
                or(destNamespaceReplaceCount, DestinationNames.REPLACE_ALL), or(override, true),
                or(replicateDeletion, false), or(copyReferrers, true), or(bandwidthLimitKiBps, 0L),
                or(concurrency, PolicyRules.DEFAULT_CONCURRENCY), or(enabled, true),
                or(rewriteSparseIndex, false));
    }

    private static <T> T or(T value, T otherwise) {
        return value == null ? otherwise : value;
    }
}
