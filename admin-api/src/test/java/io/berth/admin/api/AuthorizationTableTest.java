package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.BerthApplicationTest;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.berth.admin.api.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may call which admin route on a private project, cell by cell, against a project whose
 * members hold every role, with a robot given pull and push in it (a fresh one for each change
 * expected to succeed; refusals change nothing, so they share one). Refusals are 401 for a caller
 * who did not sign in and 403 for one who did. X is a private proxy project whose members hold the
 * same roles; {@code #proxy} marks a request with proxy settings, which only system admins give. The
 * cache and pin routes find the project P made a proxy project holding {@code app:1}; J is a preheat
 * job of X (its upstream is unreachable, so it fails, which reading it does not mind). Y is a
 * replication policy pushing to X's endpoint, Z an execution of it (its log route asks for task 0, which no
 * execution has, so a caller allowed to read logs gets 404); the label routes find {@code app:1} pushed into P, carrying the
 * label L.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AuthorizationTableTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    private static final String TABLE = """
            route                            anon outsider limitedGuest guest developer maintainer projectAdmin sysadmin robot
            GET    /projects/P               401  403      200          200   200       200        200          200      200
            PUT    /projects/P               401  403      403          403   403       403        200          200      403
            POST   /projects#proxy           401  403      403          403   403       403        403          201      403
            GET    /projects/X               401  403      200          200   200       200        200          200      403
            PUT    /projects/X               401  403      403          403   403       403        200          200      403
            PUT    /projects/X#proxy         401  403      403          403   403       403        403          200      403
            DELETE /projects/P               401  403      403          403   403       403        204          204      403
            GET    /projects/P/repositories  401  403      200          200   200       200        200          200      200
            GET    /projects/P/cache         401  403      200          200   200       200        200          200      200
            PUT    /projects/P/repositories/app/artifacts/1/pin  401  403  403  403  403  200  200  200  403
            DELETE /projects/P/repositories/app/artifacts/1/pin  401  403  403  403  403  204  204  204  403
            POST   /projects/X/preheat       401  403      403          403   403       202        202          202      403
            GET    /projects/X/preheat       401  403      200          200   200       200        200          200      403
            GET    /preheat/J                401  403      200          200   200       200        200          200      403
            GET    /projects/P/members       401  403      403          200   200       200        200          200      403
            POST   /projects/P/members       401  403      403          403   403       403        201          201      403
            PUT    /projects/P/members/M     401  403      403          403   403       403        200          200      403
            DELETE /projects/P/members/M     401  403      403          403   403       403        204          204      403
            GET    /robots?project=P         401  403      403          403   403       200        200          200      403
            POST   /robots                   401  403      403          403   403       403        201          201      403
            GET    /robots/R                 401  403      403          403   403       200        200          200      403
            PUT    /robots/R                 401  403      403          403   403       403        200          200      403
            PATCH  /robots/R                 401  403      403          403   403       403        200          200      403
            DELETE /robots/R                 401  403      403          403   403       403        204          204      403
            GET    /robots                   401  403      403          403   403       403        403          200      403
            GET    /users                    401  403      403          403   403       403        403          200      403
            POST   /users                    401  403      403          403   403       403        403          201      403
            GET    /users/current            401  200      200          200   200       200        200          200      403
            GET    /projects/P/logs          401  403      403          200   200       200        200          200      403
            GET    /audit-logs               401  403      403          403   403       403        403          200      403
            POST   /ldap/ping                401  403      403          403   403       403        403          400      403
            GET    /registries               401  403      403          403   403       403        403          200      403
            POST   /registries               401  403      403          403   403       403        403          201      403
            GET    /registries/E             401  403      403          403   403       403        403          200      403
            PUT    /registries/E             401  403      403          403   403       403        403          200      403
            DELETE /registries/E             401  403      403          403   403       403        403          204      403
            POST   /registries/E/ping        401  403      403          403   403       403        403          503      403
            GET    /replication/policies     401  403      403          403   403       403        403          200      403
            POST   /replication/policies     401  403      403          403   403       403        403          201      403
            GET    /replication/policies/Y   401  403      403          403   403       403        403          200      403
            PUT    /replication/policies/Y   401  403      403          403   403       403        403          200      403
            DELETE /replication/policies/Y   401  403      403          403   403       403        403          204      403
            GET    /replication/executions   401  403      403          403   403       403        403          200      403
            POST   /replication/executions   401  403      403          403   403       403        403          201      403
            GET    /replication/executions/Z 401  403      403          403   403       403        403          200      403
            PUT    /replication/executions/Z 401  403      403          403   403       403        403          200      403
            GET    /replication/executions/Z/tasks         401  403  403  403  403  403  403  200  403
            GET    /replication/executions/Z/tasks/0/log   401  403  403  403  403  403  403  404  403
            POST   /repositories/P/app/artifacts/1/labels    401  403  403  403  403  201  201  201  403
            DELETE /repositories/P/app/artifacts/1/labels/L  401  403  403  403  403  204  204  204  403
            """;
    private static final List<String> ROLES = List.of("limitedGuest", "guest", "developer", "maintainer",
            "projectAdmin");
    private static final Map<String, String> USERS = new HashMap<>();
    private static long registry;

    @BeforeAll
    static void createUsers() {
        registry = APP.registryEndpoint("docker-hub", "https://127.0.0.1:1");
        for (String who : List.of("outsider", "target", "joiner", "limitedGuest", "guest", "developer", "maintainer",
                "projectAdmin")) {
            USERS.put(who, ApiApp.unique(who.toLowerCase()));
            APP.user(USERS.get(who));
        }
    }

    @Test
    void eachRole_mayCallExactlyItsRoutes() {
        String[] columns = TABLE.lines().findFirst().orElseThrow().trim().split("\\s+");
        List<String> mismatches = new ArrayList<>();
        StringBuilder actual = new StringBuilder();
        Fixture shared = fixture();
        for (String line : TABLE.lines().skip(1).toList()) {
            String[] cells = line.trim().split("\\s+");
            actual.append(String.format("%-6s %-25s", cells[0], cells[1]));
            for (int c = 2; c < cells.length; c++) {
                boolean changes = !cells[0].equals("GET") && cells[c].startsWith("2");
                Fixture fixture = changes ? fixture() : shared;
                Answer answer = call(cells[0], cells[1], caller(columns[c - 1], fixture), fixture);
                actual.append(String.format(" %-4d", answer.status()));
                if (answer.status() != Integer.parseInt(cells[c])) {
                    mismatches.add(columns[c - 1] + ": " + answer + " (expected " + cells[c] + ")");
                }
            }
            actual.append('\n');
        }
        assertTrue(mismatches.isEmpty(), "as served:\n" + actual + String.join("\n", mismatches));
    }

    /**
     * A fresh private project P with a member of each role, a member M to change, a robot R, a
     * registry endpoint E (at a port nothing listens on, so its ping fails with 503), and a private
     * proxy project X with the same members.
     */
    private record Fixture(String project, String proxy, long robotId, String robotName, String robotSecret,
                           long registryId, long preheatId, long policyId, long executionId) {
    }

    private static Fixture fixture() {
        String project = ApiApp.unique("authz");
        String proxy = ApiApp.unique("authzproxy");
        APP.project(project, false);
        Answer created = APP.admin().post("/api/v1/projects", json("name", proxy, "proxy", Map.of("registryId", registry)));
        assertEquals(201, created.status(), created.toString());
        for (String role : ROLES) {
            APP.member(project, USERS.get(role), role);
            APP.member(proxy, USERS.get(role), role);
        }
        APP.member(project, USERS.get("target"), "guest");
        Answer robot = APP.admin().post("/api/v1/robots", json("name", "r", "project", project, "permissions",
                List.of(Map.of("project", project, "actions", List.of("pull", "push")))));
        assertEquals(201, robot.status(), robot.toString());
        JsonNode robotCreated = robot.json();
        Answer endpoint = APP.admin().post("/api/v1/registries", registryBody());
        assertEquals(201, endpoint.status(), endpoint.toString());
        Answer preheat = APP.admin().post("/api/v1/projects/" + proxy + "/preheat", preheatBody());
        assertEquals(202, preheat.status(), preheat.toString());
        long registryId = endpoint.json().get("id").asLong();
        Answer policy = APP.admin().post("/api/v1/replication/policies", policyBody());
        assertEquals(201, policy.status(), policy.toString());
        Answer execution = APP.admin().post("/api/v1/replication/executions", json("policyId",
                policy.json().get("id").asLong()));
        assertEquals(201, execution.status(), execution.toString());
        return new Fixture(project, proxy, robotCreated.get("id").asLong(), robotCreated.get("name").asText(),
                robotCreated.get("secret").asText(), registryId, preheat.json().get("id").asLong(),
                policy.json().get("id").asLong(), execution.json().get("id").asLong());
    }

    /** A policy pushing to the proxies' endpoint (E must stay free to be deleted). */
    private static String policyBody() {
        return json("name", ApiApp.unique("policy"), "destRegistryId", registry);
    }

    private static String preheatBody() {
        return json("references", List.of("library/app:1"));
    }

    private static String registryBody() {
        return json("name", ApiApp.unique("upstream"), "type", "v2", "url", "http://127.0.0.1:1");
    }

    private static final Set<String> PROXIES = new HashSet<>();
    private static final Set<String> LABELLED = new HashSet<>();

    /** Pushes app:1 into the fixture's project, unless it holds it as a proxy already, and labels it L (once). */
    private static void labelled(Fixture fixture) {
        if (LABELLED.add(fixture.project())) {
            try {
                if (!PROXIES.contains(fixture.project())) {
                    Registry.pushImage(APP, BerthApplicationTest.adminBasic(APP.data), fixture.project() + "/app",
                            "1");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Answer labelled = APP.admin().post("/api/v1/repositories/" + fixture.project() + "/app/artifacts/1/labels",
                    json("name", "l"));
            assertEquals(201, labelled.status(), labelled.toString());
        }
    }

    /** Makes the fixture's project a proxy project that holds app:1 (once). */
    private static void cached(Fixture fixture) {
        if (PROXIES.add(fixture.project())) {
            try {
                Registry.pushImage(APP, BerthApplicationTest.adminBasic(APP.data), fixture.project() + "/app", "1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            CachedProxies.makeProxy(APP, fixture.project(), null);
        }
    }

    private static ApiClient caller(String column, Fixture fixture) {
        return switch (column) {
            case "anon" -> APP.api();
            case "sysadmin" -> APP.admin();
            case "robot" -> APP.api().as(ApiClient.basic(fixture.robotName(), fixture.robotSecret()));
            default -> APP.api().as(ApiClient.basic(USERS.get(column), ApiApp.PASSWORD));
        };
    }

    private static Answer call(String method, String route, ApiClient as, Fixture fixture) {
        if (route.endsWith("/cache") || route.endsWith("/pin")) {
            cached(fixture);
        }
        if (route.contains("/labels")) {
            labelled(fixture);
        }
        String path = "/api/v1" + route.replace("#proxy", "").replace("P", fixture.project())
                .replace("X", fixture.proxy()).replace("M", USERS.get("target"))
                .replace("R", String.valueOf(fixture.robotId())).replace("E", String.valueOf(fixture.registryId()))
                .replace("J", String.valueOf(fixture.preheatId())).replace("Y", String.valueOf(fixture.policyId()))
                .replace("Z", String.valueOf(fixture.executionId()))
                .replace("L", "l");
        String body = switch (method + " " + route) {
            case "PUT /projects/P", "PUT /projects/X" -> json("public", false);
            case "POST /projects#proxy" -> json("name", ApiApp.unique("newproxy"), "proxy", Map.of("registryId", registry));
            case "PUT /projects/X#proxy" -> json("proxy", Map.of("freshness", "1m"));
            case "POST /projects/P/members" -> json("username", USERS.get("joiner"), "role", "guest");
            case "PUT /projects/P/members/M" -> json("role", "developer");
            case "POST /robots" -> json("name", "new", "project", fixture.project(), "permissions",
                    List.of(Map.of("project", fixture.project(), "actions", List.of("pull"))));
            case "PUT /robots/R" -> json("description", "changed");
            case "POST /users" -> json("username", ApiApp.unique("made"), "password", ApiApp.PASSWORD);
            case "POST /registries", "PUT /registries/E" -> registryBody();
            case "POST /projects/X/preheat" -> preheatBody();
            case "POST /replication/policies", "PUT /replication/policies/Y" -> policyBody();
            case "POST /replication/executions" -> json("policyId", APP.admin().post("/api/v1/replication/policies",
                    policyBody()).json().get("id").asLong());
            case "PUT /replication/executions/Z" -> json("status", "Stopped");
            case "POST /repositories/P/app/artifacts/1/labels" -> json("name", "m");
            default -> null;
        };
        return as.send(method, path, body, body == null ? null : "application/json");
    }

    @Test
    void theTable_coversEveryRoleAndEveryCaller() {
        List<String> columns = Arrays.asList(TABLE.lines().findFirst().orElseThrow().trim().split("\\s+"));
        assertTrue(columns.containsAll(ROLES), columns.toString());
        assertTrue(columns.containsAll(List.of("anon", "outsider", "sysadmin", "robot")), columns.toString());
    }
}
