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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.berth.admin.api.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Triggers through the whole application: a scheduled policy created through the API fires on its
 * own (the API takes whole minutes, so within about a minute), and a push into the source of an
 * event-based policy starts an event-based execution. Both policies copy from this Berth to itself
 * registered as an endpoint, as in {@link ReplicationExecutionsApiTest}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReplicationTriggersApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;
    private static final String POLICIES = "/api/v1/replication/policies";
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
    void aScheduledPolicyCreatedThroughTheApi_firesOnItsOwn() throws Exception {
        APP.project("nightly", false);
        APP.project("nightly-copies", false);
        long policy = policy("every-minute", "nightly/**", "nightly-copies",
                Map.of("type", "scheduled", "cron", "0 * * * * *"));

        JsonNode execution = awaitExecution(policy, Duration.ofSeconds(90));

        assertEquals("scheduled", execution.get("trigger").asText(), execution.toString());
    }

    @Test
    void aPushIntoAnEventBasedPolicysSource_startsAnEventBasedExecution() throws Exception {
        APP.project("pushed", false);
        APP.project("pushed-copies", false);
        long policy = policy("on-push", "pushed/**", "pushed-copies", Map.of("type", "event_based"));

        Registry.pushImage(APP, BerthApplicationTest.adminBasic(APP.data), "pushed/app", "1");
        JsonNode execution = awaitExecution(policy, Duration.ofSeconds(60));

        assertEquals("event_based", execution.get("trigger").asText(), execution.toString());
        Answer all = APP.admin().get(EXECUTIONS + "?policy_id=" + policy);
        assertTrue(all.json().size() >= 1, all.toString());
    }

    private static long policy(String name, String names, String namespace, Map<String, String> trigger) {
        Answer created = APP.admin().post(POLICIES, json("name", name, "destRegistryId", self, "filters",
                List.of(Map.of("type", "name", "value", names)), "destNamespace", namespace,
                "destNamespaceReplaceCount", 1, "trigger", trigger));
        assertEquals(201, created.status(), created.toString());
        return created.json().get("id").asLong();
    }

    /** The policy's first execution, once there is one. */
    private static JsonNode awaitExecution(long policy, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            Answer listed = APP.admin().get(EXECUTIONS + "?policy_id=" + policy);
            assertEquals(200, listed.status(), listed.toString());
            Optional<JsonNode> first = listed.json().size() == 0 ? Optional.empty()
                    : Optional.of(listed.json().get(listed.json().size() - 1));
            if (first.isPresent()) {
                return first.get();
            }
            Thread.sleep(250);
        }
        return fail("no execution of policy " + policy + " within " + timeout);
    }
}
