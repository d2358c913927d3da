package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/robots} through HTTP: project and system robots, one-time secrets, changes, rotation. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RobotsApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void aProjectAdmin_createsARobot_whoseSecretIsShownOnce_andSignsIn() {
        String project = ApiApp.unique("team");
        String owner = ApiApp.unique("owner");
        ApiClient asOwner = APP.user(owner);
        APP.project(project, false);
        APP.member(project, owner, "projectAdmin");

        Answer created = asOwner.post("/api/v1/robots", json("name", "ci", "project", project, "expiresInDays", 30,
                "permissions", List.of(Map.of("project", project, "actions", List.of("pull", "push")))));

        assertEquals(201, created.status(), created.toString());
        JsonNode robot = created.json();
        String secret = robot.get("secret").asText();
        assertEquals("robot$" + project + "+ci", robot.get("name").asText());
        assertEquals(project, robot.get("project").asText());
        assertEquals(List.of("pull", "push"), ApiClient.JSON.convertValue(robot.get("permissions").get(0).get("actions"),
                List.class));
        assertTrue(robot.get("expiresAt").asText().endsWith("Z"), robot.toString());
        String path = "/api/v1/robots/" + robot.get("id").asLong();
        assertTrue(created.header("Location").endsWith(path), created.toString());
        Answer again = asOwner.get(path);
        assertFalse(again.json().has("secret"), again.toString());
        assertFalse(asOwner.get("/api/v1/robots?project=" + project).body().contains(secret));

        ApiClient asRobot = APP.api().as(ApiClient.basic(robot.get("name").asText(), secret));
        Answer seen = asRobot.get("/api/v1/projects");
        assertEquals(200, seen.status(), seen.toString());
        assertTrue(seen.body().contains("\"" + project + "\""), seen.toString());
        assertError(asRobot.get("/api/v1/users/current"), 403, "DENIED");
        assertError(asRobot.get("/api/v1/robots?project=" + project), 403, "DENIED");
    }

    @Test
    void rotating_showsANewSecretOnce_andTheOldOneStopsWorking() {
        String project = ApiApp.unique("team");
        APP.project(project, false);
        JsonNode robot = createRobot(project, "rotor");
        String oldSecret = robot.get("secret").asText();

        Answer rotated = APP.admin().patch("/api/v1/robots/" + robot.get("id").asLong());

        assertEquals(200, rotated.status(), rotated.toString());
        String newSecret = rotated.json().get("secret").asText();
        assertNotEquals(oldSecret, newSecret);
        String name = robot.get("name").asText();
        assertError(APP.api().as(ApiClient.basic(name, oldSecret)).get("/api/v1/projects"), 401, "UNAUTHORIZED");
        assertEquals(200, APP.api().as(ApiClient.basic(name, newSecret)).get("/api/v1/projects").status());
    }

    @Test
    void aRobot_isChanged_disabled_andDeleted() {
        String project = ApiApp.unique("team");
        APP.project(project, false);
        JsonNode robot = createRobot(project, "changing");
        String path = "/api/v1/robots/" + robot.get("id").asLong();
        ApiClient asRobot = APP.api().as(ApiClient.basic(robot.get("name").asText(), robot.get("secret").asText()));

        Answer changed = APP.admin().put(path, json("description", "pulls only", "permissions",
                List.of(Map.of("project", project, "actions", List.of("pull")))));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals("pulls only", changed.json().get("description").asText());
        assertEquals(1, changed.json().get("permissions").get(0).get("actions").size());

        assertTrue(APP.admin().put(path, json("disabled", true)).json().get("disabled").asBoolean());
        assertError(asRobot.get("/api/v1/projects"), 401, "UNAUTHORIZED");
        assertError(APP.admin().put(path, json("name", "renamed")), 400, "INVALID_INPUT");
        assertEquals(204, APP.admin().delete(path).status());
        assertError(APP.admin().get(path), 404, "NOT_FOUND");
    }

    @Test
    void systemRobots_areForSystemAdmins() {
        String project = ApiApp.unique("team");
        String owner = ApiApp.unique("owner");
        ApiClient asOwner = APP.user(owner);
        APP.project(project, false);
        APP.member(project, owner, "projectAdmin");
        String body = json("name", ApiApp.unique("mirror"), "permissions", List.of(Map.of("project", "*",
                "actions", List.of("pull"))));

        assertError(asOwner.post("/api/v1/robots", body), 403, "DENIED");
        Answer created = APP.admin().post("/api/v1/robots", body);

        assertEquals(201, created.status(), created.toString());
        assertTrue(created.json().get("project").isNull(), created.toString());
        assertError(asOwner.get("/api/v1/robots/" + created.json().get("id").asLong()), 403, "DENIED");
        assertError(asOwner.get("/api/v1/robots"), 403, "DENIED");
        Answer all = APP.admin().get("/api/v1/robots?page_size=100");
        assertTrue(all.body().contains(created.json().get("name").asText()), all.toString());
        assertTrue(Long.parseLong(all.header("X-Total-Count")) >= 1);
    }

    @Test
    void mistakes_getClearRefusals() {
        String project = ApiApp.unique("team");
        APP.project(project, false);
        createRobot(project, "dup");
        List<Map<String, Object>> pull = List.of(Map.of("project", project, "actions", List.of("pull")));

        assertError(APP.admin().post("/api/v1/robots", json("name", "dup", "project", project, "permissions", pull)),
                409, "CONFLICT");
        assertError(APP.admin().post("/api/v1/robots", json("name", "Bad Name", "project", project, "permissions",
                pull)), 400, "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/robots", json("name", "x", "project", project, "permissions",
                List.of(Map.of("project", project, "actions", List.of("fly"))))), 400, "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/robots", json("name", "x", "project", project, "permissions",
                List.of(Map.of("project", "elsewhere", "actions", List.of("pull"))))), 400, "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/robots", json("name", "x", "project", project)), 400, "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/robots", json("name", "x", "project", project, "permissions", pull,
                "expiresInDays", 0)), 400, "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/robots", json("name", "x", "project", ApiApp.unique("none"),
                "permissions", pull)), 404, "NOT_FOUND");
        assertError(APP.admin().get("/api/v1/robots/abc"), 404, "NOT_FOUND");
        assertError(APP.admin().get("/api/v1/robots/999999"), 404, "NOT_FOUND");
        assertError(APP.admin().get("/api/v1/robots?project=" + ApiApp.unique("none")), 404, "NOT_FOUND");
    }

    private static JsonNode createRobot(String project, String name) {
        Answer created = APP.admin().post("/api/v1/robots", json("name", name, "project", project, "permissions",
                List.of(Map.of("project", project, "actions", List.of("pull", "push")))));
        assertEquals(201, created.status(), created.toString());
        return created.json();
    }
}
