package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.BerthApplicationTest;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proxy projects through the admin API: creating one bound to a registry endpoint (the contract
 * example), its settings as shown and changed, what is refused and why, who may, the audit log, and
 * the registry port serving the project as it now is. {@code proxy.defaultMirrorProject} is
 * {@code dockerhub}, which a test creates.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProxyProjectsApiTest {
    private static final ApiApp APP = new ApiApp(ConfigOverride.config("proxy.defaultMirrorProject", "dockerhub"));
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void theContractExample_createsAPublicProxyProject_withDefaultSettings() {
        long registry = APP.registryEndpoint("docker-hub", "https://127.0.0.1:1");
        String name = ApiApp.unique("hub");

        Answer created = APP.admin().post("/api/v1/projects", json("name", name, "public", true,
                "proxy", Map.of("registryId", registry)));

        assertEquals(201, created.status(), created.toString());
        assertTrue(created.header("Location").endsWith("/api/v1/projects/" + name), created.toString());
        JsonNode project = created.json();
        assertEquals("proxy", project.get("kind").asText());
        assertTrue(project.get("public").asBoolean());
        JsonNode proxy = project.get("proxy");
        assertEquals(registry, proxy.get("registryId").asLong());
        assertEquals("5m", proxy.get("freshness").asText());
        assertEquals("serve", proxy.get("onUpstreamMissing").asText());
        assertEquals(0, proxy.get("allowlist").size());
        assertFalse(proxy.has("sizeBudget") || proxy.has("maxAge"), "no bounds unless given: " + proxy);
        assertEquals(project, APP.api().get("/api/v1/projects/" + name).json(), "GET shows the same");
    }

    @Test
    void everySetting_isStored_andShownInTheFormItWasGiven() {
        long registry = APP.registryEndpoint("v2", "https://ghcr.io");
        String name = ApiApp.unique("ghcr");
        Map<String, Object> settings = Map.of("registryId", registry, "allowlist", List.of("library/*", "regex:^org/.+$"),
                "freshness", "5m", "onUpstreamMissing", "delete", "sizeBudget", "10GiB", "maxAge", "30d");

        Answer created = APP.admin().post("/api/v1/projects", json("name", name, "proxy", settings));

        assertEquals(201, created.status(), created.toString());
        JsonNode proxy = created.json().get("proxy");
        assertEquals(List.of("library/*", "regex:^org/.+$"), strings(proxy.get("allowlist")));
        assertEquals("delete", proxy.get("onUpstreamMissing").asText());
        assertEquals("10GiB", proxy.get("sizeBudget").asText());
        assertEquals("30d", proxy.get("maxAge").asText());
        assertFalse(created.json().get("public").asBoolean());
    }

    @Test
    void listings_showTheKindAndTheSettings_toThoseWhoSeeTheProject() {
        String name = ApiApp.unique("listed");
        APP.proxyProject(name, true);
        String local = ApiApp.unique("plain");
        APP.project(local, true);

        JsonNode listed = find(APP.api().get("/api/v1/projects?page_size=100").json(), name);
        JsonNode plain = find(APP.api().get("/api/v1/projects?page_size=100").json(), local);

        assertEquals("proxy", listed.get("kind").asText());
        assertEquals("5m", listed.get("proxy").get("freshness").asText());
        assertEquals("local", plain.get("kind").asText());
        assertFalse(plain.has("proxy"), plain.toString());
    }

    @Test
    void settingsThatCannotHold_areRefused_sayingWhich_andCreateNothing() {
        long registry = APP.registryEndpoint("v2", "https://quay.io");
        Map<String, Object> bad = Map.of(
                "proxy.registryId", Map.of("freshness", "5m"),
                "proxy.freshness", Map.of("registryId", registry, "freshness", "soon"),
                "proxy.onUpstreamMissing", Map.of("registryId", registry, "onUpstreamMissing", "keep"),
                "proxy.sizeBudget", Map.of("registryId", registry, "sizeBudget", "lots"),
                "proxy.maxAge", Map.of("registryId", registry, "maxAge", "-1d"),
                "proxy.allowlist", Map.of("registryId", registry, "allowlist", List.of("regex:(unclosed")));
        List<String> mismatches = new ArrayList<>();
        bad.forEach((field, proxy) -> {
            String name = ApiApp.unique("bad");
            Answer refused = APP.admin().post("/api/v1/projects", json("name", name, "proxy", proxy));
            if (refused.status() != 400 || !refused.errorMessage().contains(field)) {
                mismatches.add(field + ": " + refused);
            }
            if (APP.admin().get("/api/v1/projects/" + name).status() != 404) {
                mismatches.add(field + ": the project was created");
            }
        });
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        assertError(APP.admin().post("/api/v1/projects", "{\"name\":\"" + ApiApp.unique("typo")
                + "\",\"proxy\":{\"registryId\":" + registry + ",\"freshnes\":\"1m\"}}"), 400, "INVALID_INPUT");
    }

    @Test
    void anUnknownRegistryEndpoint_isNotFound_andCreatesNothing() {
        String name = ApiApp.unique("orphan");

        Answer refused = APP.admin().post("/api/v1/projects", json("name", name, "proxy", Map.of("registryId", 999_999)));

        assertError(refused, 404, "NOT_FOUND");
        assertTrue(refused.errorMessage().contains("no registry endpoint with id 999999"), refused.toString());
        assertError(APP.admin().get("/api/v1/projects/" + name), 404, "NOT_FOUND");
    }

    @Test
    void onlyASystemAdmin_createsProxyProjects() {
        long registry = APP.registryEndpoint("v2", "https://registry.example.com");
        ApiClient user = APP.user(ApiApp.unique("maker"));
        String name = ApiApp.unique("mine");

        Answer refused = user.post("/api/v1/projects", json("name", name, "proxy", Map.of("registryId", registry)));

        assertError(refused, 403, "DENIED");
        assertTrue(refused.errorMessage().contains("proxy projects (system admins only)"), refused.toString());
        assertError(APP.api().post("/api/v1/projects", json("name", name, "proxy", Map.of("registryId", registry))),
                401, "UNAUTHORIZED");
        assertError(APP.admin().get("/api/v1/projects/" + name), 404, "NOT_FOUND");
        assertEquals(201, user.post("/api/v1/projects", json("name", name)).status(), "a local one they may");
    }

    @Test
    void aSystemAdmin_changesWhatItMirrors_theEndpointToo_andWhatIsLeftOutStays() {
        String name = ApiApp.unique("moving");
        APP.proxyProject(name, false);
        long other = APP.registryEndpoint("v2", "https://mirror.gcr.io");

        Answer changed = APP.admin().put("/api/v1/projects/" + name, json("proxy", Map.of("registryId", other,
                "freshness", "1h", "allowlist", List.of("library/**"))));

        assertEquals(200, changed.status(), changed.toString());
        JsonNode proxy = changed.json().get("proxy");
        assertEquals(other, proxy.get("registryId").asLong());
        assertEquals("1h", proxy.get("freshness").asText());
        assertEquals(List.of("library/**"), strings(proxy.get("allowlist")));
        assertEquals("serve", proxy.get("onUpstreamMissing").asText(), "left out, kept");
        assertFalse(changed.json().get("public").asBoolean(), "left out, kept");
        assertError(APP.admin().put("/api/v1/projects/" + name, json("proxy", Map.of("registryId", 999_998))), 404,
                "NOT_FOUND");
        assertEquals(other, APP.admin().get("/api/v1/projects/" + name).json().get("proxy").get("registryId").asLong(),
                "a refused change changes nothing");
    }

    @Test
    void aProjectAdmin_changesItsVisibility_butNotWhatItMirrors() {
        String name = ApiApp.unique("shared");
        long registry = APP.proxyProject(name, false);
        String owner = ApiApp.unique("owner");
        ApiClient asOwner = APP.user(owner);
        APP.member(name, owner, "projectAdmin");

        Answer refused = asOwner.put("/api/v1/projects/" + name, json("public", true, "proxy", Map.of("freshness", "1m")));
        assertError(refused, 403, "DENIED");
        assertFalse(APP.admin().get("/api/v1/projects/" + name).json().get("public").asBoolean(),
                "a refused change changes nothing");

        Answer madePublic = asOwner.put("/api/v1/projects/" + name, json("public", true));
        assertEquals(200, madePublic.status(), madePublic.toString());
        assertEquals(registry, madePublic.json().get("proxy").get("registryId").asLong());
        assertError(asOwner.put("/api/v1/projects/" + name, "{}"), 400, "INVALID_INPUT");
    }

    @Test
    void aLocalProject_neverBecomesAProxyProject() {
        String name = ApiApp.unique("local");
        APP.project(name, false);
        long registry = APP.registryEndpoint("v2", "https://registry.example.org");

        Answer refused = APP.admin().put("/api/v1/projects/" + name, json("proxy", Map.of("registryId", registry)));

        assertError(refused, 409, "CONFLICT");
        assertEquals("local", APP.admin().get("/api/v1/projects/" + name).json().get("kind").asText());
    }

    @Test
    void creatingAndChanging_areAudited_asTheSystemAdminsChanges() {
        String name = ApiApp.unique("audited");
        long registry = APP.proxyProject(name, true);
        assertEquals(200, APP.admin().put("/api/v1/projects/" + name, json("proxy", Map.of("freshness", "10m")))
                .status());

        JsonNode lines = APP.admin().get("/api/v1/audit-logs?project=" + name).json();

        List<String> seen = new ArrayList<>();
        lines.forEach(l -> seen.add(l.get("action").asText() + " " + l.get("resourceType").asText() + " "
                + l.get("user").asText() + ": " + l.get("detail").asText()));
        assertTrue(seen.contains("create project admin: public; proxy of registry endpoint " + registry
                + ", freshness 300 s, on upstream missing serve; admin is its project admin"), seen.toString());
        assertTrue(seen.contains("update project admin: proxy settings: proxy of registry endpoint " + registry
                + ", freshness 600 s, on upstream missing serve"), seen.toString());
    }

    @Test
    void theRegistryPort_refusesPushesIntoANewProxyProject_atOnce() throws Exception {
        String name = ApiApp.unique("readonly");
        APP.proxyProject(name, true);

        HttpResponse<String> push = Registry.request(APP, "POST", "/v2/" + name + "/app/blobs/uploads/",
                BerthApplicationTest.adminBasic(APP.data));

        assertEquals(403, push.statusCode(), push.body());
        assertTrue(push.body().contains("\"DENIED\"") && push.body().contains("proxy of its upstream"), push.body());
    }

    @Test
    void theDefaultMirrorProject_servesNamesWithoutAProject_fromTheMomentItIsCreated() {
        HttpResponse<String> before = Registry.request(APP, "GET", "/v2/library/nginx/tags/list", null);
        assertEquals(404, before.statusCode(), before.body());
        assertTrue(before.body().contains("'dockerhub'") && before.body().contains("does not exist"), before.body());

        APP.proxyProject("dockerhub", true);
        HttpResponse<String> after = Registry.request(APP, "GET", "/v2/library/nginx/tags/list", null);

        // The proxy project asks its upstream, which nothing serves here, and has nothing cached yet.
        assertEquals(503, after.statusCode(), after.body());
        assertTrue(after.body().contains("UNAVAILABLE") && after.body().contains("library/nginx")
                        && after.body().contains("upstream registry"),
                "the read reached the proxy project, which holds nothing yet: " + after.body());
    }

    private static JsonNode find(JsonNode projects, String name) {
        for (JsonNode p : projects) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError(name + " is not listed: " + projects);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
