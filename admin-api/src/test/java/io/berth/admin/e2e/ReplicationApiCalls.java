package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A running Berth's replication admin API, as its initial admin: another Berth registered as a
 * registry endpoint, policies created and switched on, executions and their tasks listed (every
 * page).
 */
final class ReplicationApiCalls {
    private static final int PAGE = 100;

    private ReplicationApiCalls() {
    }

    /** Registers {@code destination} at {@code berth} as a V2 endpoint signed in as its admin; its id. */
    static long registerBerth(BerthProcess berth, String name, BerthProcess destination) {
        ObjectNode body = V2Client.JSON.createObjectNode().put("name", name).put("type", "v2")
                .put("url", destination.registry().toString());
        body.putObject("credential").put("username", BerthProcess.ADMIN_USER)
                .put("password", destination.adminPassword());
        return AdminCalls.call(berth, "POST", "/api/v1/registries", body.toString(), 201).path("id").asLong();
    }

    /**
     * Creates a push policy from {@code berth} to endpoint {@code destRegistryId} for the repositories
     * {@code names} (a glob), names kept at the destination; its id.
     */
    static long createPolicy(BerthProcess berth, String name, long destRegistryId, String names, String triggerJson,
                             boolean replicateDeletion, boolean enabled) {
        String body = "{\"name\":\"" + name + "\",\"destRegistryId\":" + destRegistryId + ",\"filters\":[{\"type\":"
                + "\"name\",\"value\":\"" + names + "\"}],\"trigger\":" + triggerJson + ",\"replicateDeletion\":"
                + replicateDeletion + ",\"enabled\":" + enabled + "}";
        return AdminCalls.call(berth, "POST", "/api/v1/replication/policies", body, 201).path("id").asLong();
    }

    /** Enables or disables a policy: reads it and sends it back changed ({@code PUT} replaces the whole policy). */
    static void setEnabled(BerthProcess berth, long policyId, boolean enabled) {
        String path = "/api/v1/replication/policies/" + policyId;
        ObjectNode policy = (ObjectNode) AdminCalls.call(berth, "GET", path, null, 200);
        policy.put("enabled", enabled);
        AdminCalls.call(berth, "PUT", path, policy.toString(), 200);
    }

    /** The policy's executions, newest first. */
    static List<JsonNode> executions(BerthProcess berth, long policyId) {
        return all(berth, "/api/v1/replication/executions?policy_id=" + policyId);
    }

    /** An execution's tasks. */
    static List<JsonNode> tasks(BerthProcess berth, long executionId) {
        return all(berth, "/api/v1/replication/executions/" + executionId + "/tasks?");
    }

    private static List<JsonNode> all(BerthProcess berth, String pathAndQuery) {
        List<JsonNode> items = new ArrayList<>();
        String separator = pathAndQuery.endsWith("?") ? "" : "&";
        for (int page = 1; ; page++) {
            JsonNode answer = AdminCalls.call(berth, "GET", pathAndQuery + separator + "page=" + page + "&page_size="
                    + PAGE, null, 200);
            answer.forEach(items::add);
            if (answer.size() < PAGE) {
                return items;
            }
        }
    }
}
