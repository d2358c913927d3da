package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /api/v1/replication/policies} through HTTP: the contract example as outside scripts
 * send it, defaults, replacing and deleting, paging, mistakes answered with what to fix, refusals
 * for all but system admins, the audit log, and registry endpoints kept while a policy uses them.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReplicationPoliciesApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;
    private static final String POLICIES = "/api/v1/replication/policies";

    /** The example, to a registry endpoint {@code destRegistryId}. */
    private static String contract(String name, long destRegistryId) {
        return "{\"name\":\"" + name + "\", \"description\":\"team images to site B\","
                + " \"sourceRegistryId\":null, \"destRegistryId\":" + destRegistryId + ","
                + " \"filters\":[{\"type\":\"name\",\"value\":\"team/**\"},"
                + "  {\"type\":\"tag\",\"value\":\"v*\",\"decoration\":\"matches\"},"
                + "  {\"type\":\"label\",\"value\":\"prod\"},"
                + "  {\"type\":\"platform\",\"value\":[\"linux/amd64\",\"linux/arm64\"]}],"
                + " \"trigger\":{\"type\":\"scheduled\",\"cron\":\"0 0 */6 * * *\"},"
                + " \"destNamespace\":\"mirror\", \"destNamespaceReplaceCount\":1,"
                + " \"override\":true, \"replicateDeletion\":false, \"copyReferrers\":true,"
                + " \"bandwidthLimitKiBps\":0, \"concurrency\":4, \"enabled\":true}";
    }

    @Test
    void theContractExample_isCreated_andReadBackInTheSameShape() throws Exception {
        long registry = APP.registryEndpoint("v2", "https://site-b.example.org");
        String name = ApiApp.unique("to-site-b");

        Answer created = APP.admin().post(POLICIES, contract(name, registry));

        assertEquals(201, created.status(), created.toString());
        long id = created.json().get("id").asLong();
        assertTrue(created.header("Location").endsWith(POLICIES + "/" + id), created.toString());
        JsonNode read = APP.admin().get(POLICIES + "/" + id).json();
        ObjectNode expected = (ObjectNode) ApiClient.JSON.readTree(contract(name, registry));
        ((ObjectNode) expected.get("filters").get(0)).put("decoration", "matches");
        ((ObjectNode) expected.get("filters").get(2)).put("decoration", "matches");
        expected.put("rewriteSparseIndex", false); // not in the example: its default
        for (String field : List.of("id", "createdAt", "updatedAt")) {
            assertTrue(read.hasNonNull(field), read.toString());
        }
        ObjectNode shown = read.deepCopy();
        shown.remove(List.of("id", "createdAt", "updatedAt"));
        assertEquals(expected, shown);
        assertEquals(read, created.json());
    }

    @Test
    void fieldsLeftOut_takeTheirDefaults() {
        long registry = APP.registryEndpoint("docker-hub", "https://127.0.0.1:1");

        JsonNode created = create(json("name", ApiApp.unique("pull-hub"), "sourceRegistryId", registry));

        assertEquals(registry, created.get("sourceRegistryId").asLong());
        assertTrue(created.get("destRegistryId").isNull(), created.toString());
        assertEquals(json("type", "manual"), created.get("trigger").toString());
        assertEquals(0, created.get("filters").size());
        assertEquals(-1, created.get("destNamespaceReplaceCount").asInt());
        assertTrue(created.get("override").asBoolean());
        assertFalse(created.get("replicateDeletion").asBoolean());
        assertTrue(created.get("copyReferrers").asBoolean());
        assertEquals(0, created.get("bandwidthLimitKiBps").asLong());
        assertEquals(4, created.get("concurrency").asInt());
        assertTrue(created.get("enabled").asBoolean());
        assertFalse(created.get("rewriteSparseIndex").asBoolean());
    }

    @Test
    void put_replacesThePolicy_andWhatGetShowedCanBeSentBack() {
        long registry = APP.registryEndpoint("v2", "https://site-b.example.org");
        JsonNode created = create(contract(ApiApp.unique("replaced"), registry));
        String path = POLICIES + "/" + created.get("id").asLong();

        ObjectNode changed = created.deepCopy();
        changed.put("concurrency", 8);
        changed.putObject("trigger").put("type", "event_based");
        Answer resent = APP.admin().put(path, changed.toString());

        assertEquals(200, resent.status(), resent.toString());
        assertEquals(8, resent.json().get("concurrency").asInt());
        assertEquals(json("type", "event_based"), resent.json().get("trigger").toString());
        assertEquals(created.get("createdAt"), resent.json().get("createdAt"));
        assertEquals(created.get("filters"), resent.json().get("filters"));

        Answer minimal = APP.admin().put(path, json("name", created.get("name").asText(), "destRegistryId", registry));
        assertEquals(200, minimal.status(), minimal.toString());
        assertEquals(0, minimal.json().get("filters").size(), "a PUT replaces the whole policy");
        assertEquals(4, minimal.json().get("concurrency").asInt());
        assertEquals(minimal.json(), APP.admin().get(path).json());
    }

    @Test
    void delete_removesIt() {
        long registry = APP.registryEndpoint("v2", "https://site-b.example.org");
        String path = POLICIES + "/" + create(contract(ApiApp.unique("gone"), registry)).get("id").asLong();

        assertEquals(204, APP.admin().delete(path).status());

        assertError(APP.admin().get(path), 404, "NOT_FOUND");
        assertError(APP.admin().delete(path), 404, "NOT_FOUND");
        assertError(APP.admin().put(path, contract(ApiApp.unique("gone"), registry)), 404, "NOT_FOUND");
    }

    @Test
    void mistakes_getTheAdminErrorBody_sayingWhatToFix() {
        long registry = APP.registryEndpoint("v2", "https://site-b.example.org");
        long other = APP.registryEndpoint("v2", "https://site-c.example.org");
        String taken = ApiApp.unique("taken");
        create(contract(taken, registry));
        Map<String, String> mistakes = new LinkedHashMap<>();
        mistakes.put("'name' is required", json("destRegistryId", registry));
        mistakes.put("give destRegistryId to push", json("name", "x"));
        mistakes.put("leave sourceRegistryId null to push", json("name", "x", "sourceRegistryId", registry,
                "destRegistryId", other));
        mistakes.put("destRegistryId 987654 names no registry endpoint", json("name", "x", "destRegistryId", 987654));
        mistakes.put("sourceRegistryId 987653 names no registry endpoint", json("name", "x", "sourceRegistryId",
                987653));
        mistakes.put("never closed", withFilter(registry, Map.of("type", "name", "value", "team/{a,b")));
        mistakes.put("os/architecture[/variant]", withFilter(registry, Map.of("type", "platform", "value",
                List.of("linux"))));
        mistakes.put("not a label name", withFilter(registry, Map.of("type", "label", "value", "a b")));
        mistakes.put("'matches' or 'excludes'", withFilter(registry, Map.of("type", "tag", "value", "v*",
                "decoration", "only")));
        mistakes.put("name, tag, label, platform", withFilter(registry, Map.of("type", "repo", "value", "x")));
        mistakes.put("has 5 fields", json("name", "x", "destRegistryId", registry, "trigger",
                Map.of("type", "scheduled", "cron", "0 */6 * * *")));
        mistakes.put("is not valid", json("name", "x", "destRegistryId", registry, "trigger",
                Map.of("type", "scheduled", "cron", "0 0 25 * * *")));
        mistakes.put("needs a cron", json("name", "x", "destRegistryId", registry, "trigger",
                Map.of("type", "scheduled")));
        mistakes.put("manual, scheduled, event_based", json("name", "x", "destRegistryId", registry, "trigger",
                Map.of("type", "hourly")));
        mistakes.put("1 to 32 (default 4); not 0", json("name", "x", "destRegistryId", registry, "concurrency", 0));
        mistakes.put("1 to 32 (default 4); not 33", json("name", "x", "destRegistryId", registry, "concurrency", 33));
        mistakes.put("0 for none; not -5", json("name", "x", "destRegistryId", registry, "bandwidthLimitKiBps", -5));
        mistakes.put("destNamespace 'Mirror'", json("name", "x", "destRegistryId", registry, "destNamespace",
                "Mirror"));
        mistakes.put("unknown field 'concurency'", json("name", "x", "destRegistryId", registry, "concurency", 2));
        mistakes.put("field 'concurrency' has a value of the wrong type", json("name", "x", "destRegistryId", registry,
                "concurrency", "four"));

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> mistake : mistakes.entrySet()) {
            Answer answer = APP.admin().post(POLICIES, mistake.getValue());
            if (answer.status() != 400 || !answer.errorMessage().contains(mistake.getKey())) {
                wrong.add(mistake.getKey() + ": " + answer);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        Answer duplicate = APP.admin().post(POLICIES, contract(taken, registry));
        assertError(duplicate, 409, "CONFLICT");
        assertTrue(duplicate.errorMessage().contains(taken), duplicate.toString());
        assertError(APP.admin().get(POLICIES + "/abc"), 404, "NOT_FOUND");
        assertError(APP.admin().get(POLICIES + "?page_size=0"), 400, "INVALID_INPUT");
    }

    @Test
    void theListing_isPaged_likeTheOtherListings() {
        long registry = APP.registryEndpoint("v2", "https://site-b.example.org");
        for (int i = 0; i < 3; i++) {
            create(contract(ApiApp.unique("paged"), registry));
        }

        Answer first = APP.admin().get(POLICIES + "?page=1&page_size=2");

        assertEquals(200, first.status(), first.toString());
        assertEquals(2, first.json().size());
        assertTrue(Long.parseLong(first.header("X-Total-Count")) >= 3, first.toString());
        assertTrue(first.header("Link").contains("rel=\"next\""), first.toString());
    }

    @Test
    void onlySystemAdmins_mayUseIt() {
        long registry = APP.registryEndpoint("v2", "https://site-b.example.org");
        long id = create(contract(ApiApp.unique("guarded"), registry)).get("id").asLong();
        ApiClient user = APP.user(ApiApp.unique("plain"));

        assertError(user.get(POLICIES), 403, "DENIED");
        assertError(user.post(POLICIES, contract("mine", registry)), 403, "DENIED");
        assertError(user.delete(POLICIES + "/" + id), 403, "DENIED");
        assertError(APP.api().get(POLICIES + "/" + id), 401, "UNAUTHORIZED");
        assertEquals(200, APP.admin().get(POLICIES + "/" + id).status());
    }

    @Test
    void changes_areAudited_asTheAdmin() {
        long registry = APP.registryEndpoint("v2", "https://site-b.example.org");
        String name = ApiApp.unique("audited");
        long id = create(contract(name, registry)).get("id").asLong();
        APP.admin().put(POLICIES + "/" + id, json("name", name, "destRegistryId", registry));
        assertEquals(204, APP.admin().delete(POLICIES + "/" + id).status());

        List<String> actions = new ArrayList<>();
        for (JsonNode line : APP.admin().get("/api/v1/audit-logs?user=admin&page_size=100").json()) {
            if (line.get("resource").asText().equals(name)) {
                assertEquals("replication", line.get("resourceType").asText(), line.toString());
                actions.add(line.get("action").asText());
            }
        }
        assertEquals(List.of("delete", "update", "create"), actions);
    }

    @Test
    void aRegistryEndpointAPolicyUses_cannotBeDeleted_andTheConflictNamesThePolicy() {
        long registry = APP.registryEndpoint("v2", "https://site-b.example.org");
        String name = ApiApp.unique("keeper");
        long id = create(contract(name, registry)).get("id").asLong();

        Answer refused = APP.admin().delete("/api/v1/registries/" + registry);

        assertError(refused, 409, "CONFLICT");
        assertTrue(refused.errorMessage().contains(name), refused.toString());
        assertEquals(204, APP.admin().delete(POLICIES + "/" + id).status());
        assertEquals(204, APP.admin().delete("/api/v1/registries/" + registry).status());
    }

    private static String withFilter(long registry, Map<String, Object> filter) {
        return json("name", "x", "destRegistryId", registry, "filters", List.of(filter));
    }

    private static JsonNode create(String body) {
        Answer created = APP.admin().post(POLICIES, body);
        assertEquals(201, created.status(), created.toString());
        return created.json();
    }
}
