package io.berth.admin.api;

import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code auth.enabled: false} the admin API is open, as the registry is, and serves projects
 * (artifact labels included), registry endpoints (which proxy projects need) and replication policies only.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenModeApiTest {
    private static final ApiApp APP = new ApiApp(ConfigOverride.config("auth.enabled", "false"));
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void anyone_managesProjects_withoutSigningIn() {
        String name = ApiApp.unique("open");

        Answer created = APP.api().post("/api/v1/projects", json("name", name));

        assertEquals(201, created.status(), created.toString());
        assertTrue(APP.api().get("/api/v1/projects?page_size=100").body().contains("\"" + name + "\""));
        assertEquals(200, APP.api().put("/api/v1/projects/" + name, json("public", true)).status());
        assertEquals(200, APP.api().get("/api/v1/projects/" + name + "/repositories").status());
        assertEquals(204, APP.api().delete("/api/v1/projects/" + name).status());
        assertEquals(200, APP.api().get("/api/v1/openapi.json").status());
    }

    @Test
    void anyone_managesRegistryEndpoints_withoutSigningIn_butNoAnswerShowsASecret() {
        Answer created = APP.api().post("/api/v1/registries", json("name", ApiApp.unique("open-up"), "type", "v2",
                "url", "http://127.0.0.1:5001", "credential", Map.of("token", "Open-Mode-Token")));

        assertEquals(201, created.status(), created.toString());
        String path = "/api/v1/registries/" + created.json().get("id").asLong();
        Answer read = APP.api().get(path);
        assertEquals(200, read.status(), read.toString());
        assertFalse(created.body().contains("Open-Mode-Token") || read.body().contains("Open-Mode-Token"));
        assertEquals(204, APP.api().delete(path).status());
    }

    @Test
    void anyone_managesReplicationPoliciesAndLabels_withoutSigningIn() throws Exception {
        long registry = APP.registryEndpoint("v2", "https://site-b.example.org");
        Answer created = APP.api().post("/api/v1/replication/policies", json("name", ApiApp.unique("open-policy"),
                "destRegistryId", registry));
        assertEquals(201, created.status(), created.toString());
        String policy = "/api/v1/replication/policies/" + created.json().get("id").asLong();
        assertEquals(200, APP.api().get(policy).status());
        assertEquals(204, APP.api().delete(policy).status());

        String project = ApiApp.unique("openlabels");
        APP.api().post("/api/v1/projects", json("name", project));
        Registry.pushImage(APP, ApiClient.basic("anyone", "ignored"), project + "/app", "1"); // nobody signs in
        Answer labelled = APP.api().post("/api/v1/repositories/" + project + "/app/artifacts/1/labels",
                json("name", "prod"));
        assertEquals(201, labelled.status(), labelled.toString());
        assertEquals(204, APP.api().delete("/api/v1/repositories/" + project + "/app/artifacts/1/labels/prod")
                .status());
    }

    @Test
    void accountsMembersRobotsTheAuditLogAndTheLdapCheck_areNotServed() {
        assertError(APP.api().get("/api/v1/users"), 404, "NOT_FOUND");
        assertError(APP.api().get("/api/v1/robots"), 404, "NOT_FOUND");
        assertError(APP.api().get("/api/v1/projects/any/members"), 404, "NOT_FOUND");
        assertError(APP.api().get("/api/v1/audit-logs"), 404, "NOT_FOUND");
        assertError(APP.api().get("/api/v1/projects/any/logs"), 404, "NOT_FOUND");
        assertError(APP.api().post("/api/v1/ldap/ping", "{}"), 404, "NOT_FOUND");
    }
}
