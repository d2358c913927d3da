package io.berth.admin.api;

import io.berth.admin.BerthApplication;
import io.berth.admin.BerthApplicationTest;
import io.berth.admin.BerthConfiguration;
import io.berth.admin.api.ApiClient.Answer;
import io.berth.store.testing.TestDatabases;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API on PostgreSQL ({@code conf/berth-postgres.yml}): accounts, a project with members
 * and a robot, the listing each caller sees, deleting the project with what belongs to it, and a
 * registry endpoint with its credential.
 */
class PostgresAdminApiTest {

    @Test
    void identityAndProjects_workOnPostgres(@TempDir Path data) throws Exception {
        PGSimpleDataSource schema = (PGSimpleDataSource) TestDatabases.postgres();
        String url = schema.getURL() + (schema.getURL().contains("?") ? "&" : "?") + "currentSchema="
                + schema.getCurrentSchema();
        int registryPort = BerthApplicationTest.freePort();
        DropwizardTestSupport<BerthConfiguration> app = new DropwizardTestSupport<>(BerthApplication.class,
                BerthApplicationTest.repoRoot().resolve("conf/berth-postgres.yml").toString(),
                ConfigOverride.config("storage.root", data.toString()),
                ConfigOverride.config("database.url", url),
                ConfigOverride.config("auth.passwordCost", "4"),
                ConfigOverride.config("registry.bindHost", "127.0.0.1"),
                ConfigOverride.config("registry.port", String.valueOf(registryPort)),
                ConfigOverride.config("server.applicationConnectors[0].bindHost", "127.0.0.1"),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"));
        app.before();
        try {
            ApiClient admin = new ApiClient("http://127.0.0.1:" + app.getLocalPort(),
                    BerthApplicationTest.adminBasic(data));
            run(admin);
        } finally {
            app.after();
        }
    }

    private static void run(ApiClient admin) {
        assertEquals(201, admin.post("/api/v1/users", json("username", "alice", "password", ApiApp.PASSWORD)).status());
        assertEquals(201, admin.post("/api/v1/users", json("username", "bob", "password", ApiApp.PASSWORD)).status());
        assertError(admin.post("/api/v1/users", json("username", "alice", "password", ApiApp.PASSWORD)), 409,
                "CONFLICT");
        ApiClient alice = admin.as(ApiClient.basic("alice", ApiApp.PASSWORD));
        ApiClient bob = admin.as(ApiClient.basic("bob", ApiApp.PASSWORD));

        assertEquals(201, alice.post("/api/v1/projects", json("name", "team")).status());
        assertEquals(201, admin.post("/api/v1/projects", json("name", "library", "public", true)).status());
        assertEquals(201, admin.post("/api/v1/projects", json("name", "secret")).status());
        assertEquals(201, alice.post("/api/v1/projects/team/members", json("username", "bob", "role", "guest"))
                .status());
        assertEquals(List.of("library", "team"), names(bob.get("/api/v1/projects")));
        assertEquals(List.of("library"), names(admin.anonymous().get("/api/v1/projects")));
        Answer all = admin.get("/api/v1/projects");
        assertEquals(List.of("library", "secret", "team"), names(all));
        assertEquals("3", all.header("X-Total-Count"));

        Answer robot = alice.post("/api/v1/robots", json("name", "ci", "project", "team", "permissions",
                List.of(Map.of("project", "team", "actions", List.of("pull", "push")))));
        assertEquals(201, robot.status(), robot.toString());
        long robotId = robot.json().get("id").asLong();
        Answer changed = alice.put("/api/v1/robots/" + robotId, json("disabled", true, "permissions",
                List.of(Map.of("project", "team", "actions", List.of("pull")))));
        assertEquals(200, changed.status(), changed.toString());
        assertTrue(changed.json().get("disabled").asBoolean());

        assertError(bob.delete("/api/v1/projects/team"), 403, "DENIED");
        assertEquals(204, alice.delete("/api/v1/projects/team").status());
        assertError(admin.get("/api/v1/robots/" + robotId), 404, "NOT_FOUND");
        assertFalse(names(bob.get("/api/v1/projects")).contains("team"));
        assertEquals(204, admin.delete("/api/v1/users/bob").status());

        Answer registry = admin.post("/api/v1/registries", json("name", "up", "type", "v2", "url",
                "http://127.0.0.1:5001", "insecure", true, "credential", Map.of("username", "u", "password",
                        "Pg-Upstream-Secret")));
        assertEquals(201, registry.status(), registry.toString());
        String path = "/api/v1/registries/" + registry.json().get("id").asLong();
        Answer read = admin.put(path, json("name", "up", "type", "v2", "url", "http://127.0.0.1:5002"));
        assertEquals("u", read.json().get("credential").get("username").asText(), read.toString());
        assertError(alice.get(path), 403, "DENIED");
        assertFalse(admin.get("/api/v1/registries").body().contains("Pg-Upstream-Secret"));
        assertEquals(204, admin.delete(path).status());
    }

    private static List<String> names(Answer answer) {
        assertEquals(200, answer.status(), answer.toString());
        return StreamSupport.stream(answer.json().spliterator(), false)
                .map(p -> p.get("name").asText()).toList();
    }
}
