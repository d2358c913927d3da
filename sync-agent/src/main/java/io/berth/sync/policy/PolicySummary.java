package io.berth.sync.policy;

import io.berth.sync.filter.FilterJson;

/** A policy's settings in one line, for the audit log. */
final class PolicySummary {
    private PolicySummary() {
    }

    static String of(PolicyDraft d) {
        String direction = d.sourceRegistryId() == null ? "push to registry " + d.destRegistryId()
                : "pull from registry " + d.sourceRegistryId();
        String trigger = d.trigger().type().wireName() + (d.trigger().cron() == null ? "" : " " + d.trigger().cron());
        String namespace = d.destNamespace() == null || d.destNamespace().isEmpty() ? ""
                : ", namespace " + d.destNamespace() + " (replace " + d.destNamespaceReplaceCount() + ")";
        return direction + ", " + trigger + (d.enabled() ? "" : " (disabled)") + namespace + ", filters "
                + FilterJson.toText(d.filters());
    }
}
