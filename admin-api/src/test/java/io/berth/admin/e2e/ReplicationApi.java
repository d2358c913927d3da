package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What a replication IT asks of a running Berth's admin API, as its admin: projects, a system robot,
 * registry endpoints and policies; executions started by hand ({@code POST
 * /api/v1/replication/executions}) and polled ({@code GET …/executions/{id}}) until they end; their
 * tasks and the tasks' logs.
 */
final class ReplicationApi {
    private static final Duration EXECUTION_TIMEOUT = Duration.ofMinutes(4);
    private static final Set<String> ACTIVE = Set.of("Pending", "Running");

    private ReplicationApi() {
    }

    /** A private project. */
    static void project(BerthProcess berth, String name) {
        AdminCalls.call(berth, "POST", "/api/v1/projects", "{\"name\":\"" + name + "\"}", 201);
    }

    /** A system robot {@code robot$<name>} with pull and push in every project; its {@code user:secret}. */
    static String pushRobot(BerthProcess berth, String name) {
        JsonNode robot = AdminCalls.call(berth, "POST", "/api/v1/robots", "{\"name\":\"" + name + "\","
                + "\"permissions\":[{\"project\":\"*\",\"actions\":[\"pull\",\"push\"]}]}", 201);
        return robot.path("name").asText() + ":" + robot.path("secret").asText();
    }

    /** A {@code v2} registry endpoint at {@code http://hostPort}, with {@code user:password} credentials or none (null). */
    static long endpoint(BerthProcess berth, String name, String hostPort, String credentials) {
        String credential = "";
        if (credentials != null) {
            int colon = credentials.indexOf(':');
            credential = ",\"credential\":{\"username\":" + V2Client.JSON.valueToTree(credentials.substring(0, colon))
                    + ",\"password\":" + V2Client.JSON.valueToTree(credentials.substring(colon + 1)) + "}";
        }
        return AdminCalls.call(berth, "POST", "/api/v1/registries", "{\"name\":\"" + name + "\",\"type\":\"v2\","
                + "\"url\":\"http://" + hostPort + "\",\"insecure\":true" + credential + "}", 201).path("id").asLong();
    }

    /** A manual policy from this Berth to {@code destRegistryId}; {@code extra} is more of its JSON fields, or "". */
    static long pushPolicy(BerthProcess berth, String name, long destRegistryId, String filters, String extra) {
        return policy(berth, "{\"name\":\"" + name + "\",\"sourceRegistryId\":null,\"destRegistryId\":" + destRegistryId
                + ",\"filters\":" + filters + extra + "}");
    }

    /** A manual policy from {@code sourceRegistryId} into this Berth. */
    static long pullPolicy(BerthProcess berth, String name, long sourceRegistryId, String filters, String extra) {
        return policy(berth, "{\"name\":\"" + name + "\",\"sourceRegistryId\":" + sourceRegistryId
                + ",\"destRegistryId\":null,\"filters\":" + filters + extra + "}");
    }

    private static long policy(BerthProcess berth, String json) {
        return AdminCalls.call(berth, "POST", "/api/v1/replication/policies", json, 201).path("id").asLong();
    }

    /** One execution of the policy, started by hand and polled until it ends: its final view. */
    static Execution run(BerthProcess berth, long policyId) {
        JsonNode execution = AdminCalls.call(berth, "POST", "/api/v1/replication/executions",
                "{\"policyId\":" + policyId + "}", 201);
        long id = execution.path("id").asLong();
        long deadline = System.nanoTime() + EXECUTION_TIMEOUT.toNanos();
        while (ACTIVE.contains(execution.path("status").asText())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("execution " + id + " did not end within " + EXECUTION_TIMEOUT + ": "
                        + execution + "\n" + logs(berth, id, tasks(berth, id)));
            }
            sleep(200);
            execution = AdminCalls.call(berth, "GET", "/api/v1/replication/executions/" + id, null, 200);
        }
        return new Execution(berth, execution, tasks(berth, id));
    }

    /** Every task of the execution (one page of up to 100 is plenty here). */
    static List<JsonNode> tasks(BerthProcess berth, long executionId) {
        List<JsonNode> tasks = new ArrayList<>();
        AdminCalls.call(berth, "GET", "/api/v1/replication/executions/" + executionId + "/tasks?page_size=100", null, 200)
                .forEach(tasks::add);
        return tasks;
    }

    /** The logs of the tasks, one after the other, each headed by its task. */
    private static String logs(BerthProcess berth, long executionId, List<JsonNode> tasks) {
        StringBuilder all = new StringBuilder();
        for (JsonNode task : tasks) {
            V2Client client = V2Client.withBasic(berth.admin(), BerthProcess.ADMIN_USER, berth.adminPassword());
            String log = new String(client.send(client.request("/api/v1/replication/executions/" + executionId
                    + "/tasks/" + task.path("id").asLong() + "/log").GET().build()).body());
            all.append("--- task ").append(task).append('\n').append(log).append('\n');
        }
        return all.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** An execution that ended: its view and its tasks; the tasks' logs are read when asked for. */
    record Execution(BerthProcess berth, JsonNode view, List<JsonNode> tasks) {
        /** The logs of every task, each headed by its task. */
        String logs() {
            return ReplicationApi.logs(berth, view.path("id").asLong(), tasks);
        }

        String status() {
            return view.path("status").asText();
        }

        long bytes() {
            return view.path("bytes").asLong();
        }

        /** The task whose source is {@code repository:tag}. */
        JsonNode task(String sourceResource) {
            return tasks.stream().filter(t -> t.path("sourceResource").asText().equals(sourceResource)).findFirst()
                    .orElseThrow(() -> new AssertionError("no task for " + sourceResource + " in " + this));
        }

        /** The destinations of the tasks, as {@code repository:tag}, sorted. */
        List<String> destinations() {
            return tasks.stream().map(t -> t.path("destinationResource").asText()).sorted().toList();
        }

        /** Fails unless every task ended with {@code status}. */
        void assertEveryTask(String status) {
            assertFalse(tasks.isEmpty(), () -> "the execution had no tasks: " + this);
            for (JsonNode task : tasks) {
                if (!task.path("status").asText().equals(status)) {
                    throw new AssertionError("task " + task + " is not " + status + ":\n" + this);
                }
            }
        }

        @Override
        public String toString() {
            return view + "\n" + logs();
        }
    }
}
