package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.BerthApplicationTest;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The execution routes against a real registry: a push policy from this Berth to this same Berth
 * registered as an endpoint (as the admin), under another namespace: the source side is read in
 * process and listed through the gateway as the replication robot, the destination is written
 * through the gateway with the endpoint's credential, both over HTTPS (the registry port serves
 * TLS, as production sites run it). Started, listed, read with its tasks and logs; a second run
 * skips; a second start while one is active is refused; stop and bad input answer as documented. A
 * platform filter copies a multi-arch index unchanged into a Berth project that allows sparse
 * indexes, and fails saying why into one that does not.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReplicationExecutionsApiTest {
    private static final ApiApp APP = ApiApp.withTls();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;
    private static final String EXECUTIONS = "/api/v1/replication/executions";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private static long self;

    @BeforeAll
    static void registerThisBerthAsAnEndpoint() throws Exception {
        String password = Files.readString(APP.data.resolve("initial-admin-password")).strip();
        Answer endpoint = APP.admin().post("/api/v1/registries", json("name", "itself", "type", "v2", "url",
                APP.registryUrl(), "insecure", true, "credential", Map.of("username", "admin", "password",
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
    void aPlatformFilter_copiesTheIndexByteExact_intoAProjectThatAllowsSparseIndexes_andFailsIntoOneThatDoesNot()
            throws Exception {
        String admin = BerthApplicationTest.adminBasic(APP.data);
        APP.project("multisrc", false);
        Answer replica = APP.admin().post("/api/v1/projects", json("name", "sparsecopies", "allowSparseIndexes", true));
        assertEquals(201, replica.status(), replica.toString());
        APP.project("strictcopies", false);
        Registry.pushImage(APP, admin, "multisrc/app", "amd64");
        Registry.pushImage(APP, admin, "multisrc/app", "arm64");
        String amd64 = descriptor(admin, "multisrc/app", "amd64", "amd64");
        String arm64 = descriptor(admin, "multisrc/app", "arm64", "arm64");
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[" + amd64 + ","
                + arm64 + "]}";
        assertEquals(201, Registry.putManifest(APP, admin, "multisrc/app", "v1", OCI_INDEX, index).statusCode());
        List<Map<String, Object>> filters = List.of(Map.of("type", "name", "value", "multisrc/**"),
                Map.of("type", "tag", "value", "v1"), Map.of("type", "platform", "value", List.of("linux/arm64")));

        JsonNode sparse = run(policy("to-sparse", filters, "sparsecopies"));

        assertEquals("Succeeded", sparse.get("status").asText(), sparse.toString());
        HttpResponse<String> copied = Registry.request(APP, "HEAD", "/v2/sparsecopies/app/manifests/v1", admin);
        assertEquals(200, copied.statusCode());
        assertEquals(sha256(index), copied.headers().firstValue("Docker-Content-Digest").orElseThrow(),
                "the index is copied byte-exact");
        assertEquals(200, Registry.request(APP, "HEAD", "/v2/sparsecopies/app/manifests/" + digestOf(arm64),
                admin).statusCode());
        assertEquals(404, Registry.request(APP, "HEAD", "/v2/sparsecopies/app/manifests/" + digestOf(amd64),
                admin).statusCode(), "the child the filter left out");
        JsonNode task = APP.admin().get(EXECUTIONS + "/" + sparse.get("id").asLong() + "/tasks").json().get(0);
        assertEquals("copy", task.get("operation").asText(), task.toString());

        JsonNode strict = run(policy("to-strict", filters, "strictcopies"));

        assertEquals("Failed", strict.get("status").asText(), strict.toString());
        JsonNode failed = APP.admin().get(EXECUTIONS + "/" + strict.get("id").asLong() + "/tasks").json().get(0);
        String log = APP.admin().get(EXECUTIONS + "/" + strict.get("id").asLong() + "/tasks/"
                + failed.get("id").asLong() + "/log").body();
        assertTrue(log.contains("allowSparseIndexes"), log);
        assertEquals(404, Registry.request(APP, "HEAD", "/v2/strictcopies/app/manifests/v1", admin).statusCode());
    }

    /** The index entry of {@code repository:tag}, read back from the registry, for the given architecture. */
    private static String descriptor(String admin, String repository, String tag, String architecture) {
        HttpResponse<String> manifest = Registry.request(APP, "GET", "/v2/" + repository + "/manifests/" + tag, admin);
        assertEquals(200, manifest.statusCode(), manifest.body());
        return "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + sha256(manifest.body())
                + "\",\"size\":" + manifest.body().getBytes(StandardCharsets.UTF_8).length
                + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + architecture + "\"}}";
    }

    private static String digestOf(String descriptor) {
        int at = descriptor.indexOf("sha256:");
        return descriptor.substring(at, at + 71);
    }

    private static String sha256(String content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long policy(String name, List<Map<String, Object>> filters, String namespace) {
        Answer created = APP.admin().post("/api/v1/replication/policies", json("name", name, "destRegistryId", self,
                "filters", filters, "destNamespace", namespace, "destNamespaceReplaceCount", 1));
        assertEquals(201, created.status(), created.toString());
        return created.json().get("id").asLong();
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
