package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.BerthApplicationTest;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The execution routes against a real registry: a push policy from this Berth to this same Berth
 * registered as an endpoint (as the admin), under another namespace, so that both sides go through
 * the gateway: the source side as the replication robot, the destination as the endpoint's
 * credential. Started, listed, read with its tasks and logs; a second run skips; a second start
 * while one is active is refused; stop and bad input answer as documented.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReplicationExecutionsApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;
    private static final String EXECUTIONS = "/api/v1/replication/executions";

    private static long self;

    @BeforeAll
    static void registerThisBerthAsAnEndpoint() throws Exception {
        String password = Files.readString(APP.data.resolve("initial-admin-password")).strip();
        Answer endpoint = APP.admin().post("/api/v1/registries", json("name", "itself", "type", "v2", "url",
                "http://127.0.0.1:" + APP.registryPort, "credential", Map.of("username", "admin", "password",
                        password)));
        assertEquals(201, endpoint.status(), endpoint.toString());
        self = endpoint.json().get("id").asLong();
    }

    @Test
    void anExecution_copiesTheSelectedImages_andItsTasksAndLogsSaySo() throws Exception {
        APP.project("srcteam", false);
        APP.project("copies", false);
        Registry.pushImage(APP, BerthApplicationTest.adminBasic(APP.data), "srcteam/app", "1");
        Registry.pushImage(APP, BerthApplicationTest.adminBasic(APP.data), "srcteam/app", "2");
        long policy = policy("copy-srcteam", "srcteam/**", "copies");

        JsonNode first = run(policy);

        assertEquals("Succeeded", first.get("status").asText(), first.toString());
        assertEquals("manual", first.get("trigger").asText());
        assertEquals(2, first.get("succeeded").asInt(), first.toString());
        assertTrue(first.get("bytes").asLong() > 0, first.toString());
        assertEquals(200, Registry.request(APP, "HEAD", "/v2/copies/app/manifests/1",
                BerthApplicationTest.adminBasic(APP.data)).statusCode());
        Answer tasks = APP.admin().get(EXECUTIONS + "/" + first.get("id").asLong() + "/tasks");
        assertEquals(200, tasks.status(), tasks.toString());
        assertEquals("2", tasks.header("X-Total-Count"));
        JsonNode task = tasks.json().get(0);
        assertEquals("copies/app:" + task.get("sourceResource").asText().replace("srcteam/app:", ""),
                task.get("destinationResource").asText());
        Answer log = APP.admin().get(EXECUTIONS + "/" + first.get("id").asLong() + "/tasks/" + task.get("id").asLong()
                + "/log");
        assertEquals(200, log.status(), log.toString());
        assertTrue(log.header("Content-Type").startsWith("text/plain"), log.toString());
        assertTrue(log.body().contains("tagged copies/app:"), log.body());

        JsonNode second = run(policy);

        assertEquals("Succeeded", second.get("status").asText(), second.toString());
        assertEquals(2, second.get("skipped").asInt(), second.toString());
        assertEquals(0, second.get("bytes").asLong());
        Answer listed = APP.admin().get(EXECUTIONS + "?policy_id=" + policy);
        assertEquals(List.of(second.get("id").asLong(), first.get("id").asLong()),
                listed.json().findValues("id").stream().map(JsonNode::asLong).toList(), "newest first");
    }

    @Test
    void aSecondStart_isRefusedWhileOneIsActive_andAStopIsTheOnlyChange() {
        long policy = policy("busy", "nothing-here/**", "elsewhere");
        Answer started = APP.admin().post(EXECUTIONS, json("policyId", policy));
        assertEquals(201, started.status(), started.toString());
        long id = started.json().get("id").asLong();
        assertTrue(started.header("Location").endsWith(EXECUTIONS + "/" + id), started.toString());

        Answer again = APP.admin().post(EXECUTIONS, json("policyId", policy));
        if (again.status() != 201) { // the first may have ended already: it has nothing to copy
            assertError(again, 409, "CONFLICT");
        }
        assertError(APP.admin().put(EXECUTIONS + "/" + id, json("status", "Running")), 400, "INVALID_INPUT");
        Answer stopped = APP.admin().put(EXECUTIONS + "/" + id, json("status", "Stopped"));
        assertEquals(200, stopped.status(), stopped.toString());
        assertError(APP.admin().post(EXECUTIONS, json("policy", policy)), 400, "INVALID_INPUT");
        assertError(APP.admin().post(EXECUTIONS, json("policyId", 999_999)), 404, "NOT_FOUND");
        assertError(APP.admin().get(EXECUTIONS + "/nope"), 404, "NOT_FOUND");
        assertError(APP.admin().get(EXECUTIONS + "/" + id + "/tasks/999999/log"), 404, "NOT_FOUND");
    }

    private static long policy(String name, String names, String namespace) {
        Answer created = APP.admin().post("/api/v1/replication/policies", json("name", name, "destRegistryId", self,
                "filters", List.of(Map.of("type", "name", "value", names)), "destNamespace", namespace,
                "destNamespaceReplaceCount", 1));
        assertEquals(201, created.status(), created.toString());
        return created.json().get("id").asLong();
    }

    /** Starts the policy and waits for the execution to end (a minute is far more than it needs). */
    private static JsonNode run(long policy) throws InterruptedException {
        Answer started = APP.admin().post(EXECUTIONS, json("policyId", policy));
        assertEquals(201, started.status(), started.toString());
        assertEquals("Pending", started.json().get("status").asText());
        String path = EXECUTIONS + "/" + started.json().get("id").asLong();
        for (int i = 0; i < 600; i++) {
            JsonNode execution = APP.admin().get(path).json();
            String status = execution.get("status").asText();
            if (!status.equals("Pending") && !status.equals("Running")) {
                return execution;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the execution did not end within a minute: " + APP.admin().get(path));
    }
}
