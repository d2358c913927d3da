package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/projects} through HTTP: creating, listing what each caller sees, settings, deleting. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProjectsApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void aUserCreatesAProject_andBecomesItsAdmin() {
        String alice = ApiApp.unique("alice");
        ApiClient asAlice = APP.user(alice);
        String name = ApiApp.unique("team");

        Answer created = asAlice.post("/api/v1/projects", json("name", name, "public", false));

        assertEquals(201, created.status(), created.toString());
        assertTrue(created.header("Location").endsWith("/api/v1/projects/" + name), created.toString());
        JsonNode project = created.json();
        assertEquals(name, project.get("name").asText());
        assertFalse(project.get("public").asBoolean());
        assertEquals(0, project.get("repositoryCount").asInt());
        assertEquals("local", project.get("kind").asText());
        JsonNode members = asAlice.get("/api/v1/projects/" + name + "/members").json();
        assertEquals(alice, members.get(0).get("username").asText());
        assertEquals("projectAdmin", members.get(0).get("role").asText());
    }

    @Test
    void creatingATakenOrBadlyNamedProject_isRefusedClearly() {
        String name = ApiApp.unique("dup");
        APP.project(name, false);

        assertError(APP.admin().post("/api/v1/projects", json("name", name)), 409, "CONFLICT");
        for (String bad : List.of("Team", "a/b", "-x", "", "x y")) {
            Answer answer = APP.admin().post("/api/v1/projects", json("name", bad));
            assertError(answer, 400, "INVALID_INPUT");
            assertTrue(answer.errorMessage().contains("not a valid project name"), answer.toString());
        }
        assertError(APP.api().post("/api/v1/projects", json("name", ApiApp.unique("anon"))), 401, "UNAUTHORIZED");
    }

    @Test
    void theListing_showsEachCallerPublicProjectsAndTheirOwn_andAllToAnAdmin() {
        String open = ApiApp.unique("open");
        String secret = ApiApp.unique("secret");
        String mine = ApiApp.unique("mine");
        String bob = ApiApp.unique("bob");
        ApiClient asBob = APP.user(bob);
        APP.project(open, true);
        APP.project(secret, false);
        APP.project(mine, false);
        APP.member(mine, bob, "guest");

        List<String> anonymous = names(APP.api());
        List<String> bobs = names(asBob);
        List<String> admins = names(APP.admin());

        assertTrue(anonymous.contains(open) && !anonymous.contains(secret) && !anonymous.contains(mine), anonymous.toString());
        assertTrue(bobs.contains(open) && bobs.contains(mine) && !bobs.contains(secret), bobs.toString());
        assertTrue(admins.containsAll(List.of(open, secret, mine)), admins.toString());
        assertTrue(APP.api().get("/api/v1/projects").json().get(0).has("public"));
    }

    @Test
    void listings_arePaged_withTheTotalAndLinks() {
        for (int i = 0; i < 3; i++) {
            APP.project(ApiApp.unique("paged"), false);
        }

        Answer first = APP.admin().get("/api/v1/projects?page=1&page_size=2");

        assertEquals(200, first.status(), first.toString());
        assertEquals(2, first.json().size());
        long total = Long.parseLong(first.header("X-Total-Count"));
        assertTrue(total >= 3, first.toString());
        assertTrue(first.header("Link").contains("page=2") && first.header("Link").contains("rel=\"next\""));
    }

    @Test
    void allowSparseIndexes_isSetAtCreation_andChangedByTheProjectAdmin() {
        String name = ApiApp.unique("replica");
        ApiClient asOutsider = APP.user(ApiApp.unique("outsider"));

        Answer created = APP.admin().post("/api/v1/projects", json("name", name, "allowSparseIndexes", true));

        assertEquals(201, created.status(), created.toString());
        assertTrue(created.json().get("allowSparseIndexes").asBoolean(), created.toString());
        assertError(asOutsider.put("/api/v1/projects/" + name, json("allowSparseIndexes", false)), 403, "DENIED");
        Answer changed = APP.admin().put("/api/v1/projects/" + name, json("allowSparseIndexes", false));
        assertEquals(200, changed.status(), changed.toString());
        assertFalse(changed.json().get("allowSparseIndexes").asBoolean());
        assertFalse(changed.json().get("public").asBoolean(), "the other settings stay");
        String plain = ApiApp.unique("plain");
        APP.project(plain, false);
        assertFalse(APP.admin().get("/api/v1/projects/" + plain).json().get("allowSparseIndexes").asBoolean());
    }

    @Test
    void aPrivateProject_isHiddenFromOutsiders_andVisibilityChangesByItsAdmin() {
        String name = ApiApp.unique("vis");
        ApiClient asOutsider = APP.user(ApiApp.unique("outsider"));
        APP.project(name, false);

        assertError(APP.api().get("/api/v1/projects/" + name), 401, "UNAUTHORIZED");
        assertError(asOutsider.get("/api/v1/projects/" + name), 403, "DENIED");
        assertError(asOutsider.put("/api/v1/projects/" + name, json("public", true)), 403, "DENIED");
        Answer changed = APP.admin().put("/api/v1/projects/" + name, json("public", true));

        assertEquals(200, changed.status(), changed.toString());
        assertTrue(changed.json().get("public").asBoolean());
        assertEquals(200, APP.api().get("/api/v1/projects/" + name).status());
        assertEquals(200, APP.api().get("/api/v1/projects/" + name + "/repositories").status());
        assertError(APP.api().get("/api/v1/projects/" + ApiApp.unique("none")), 404, "NOT_FOUND");
        assertError(APP.admin().put("/api/v1/projects/" + name, json("name", "renamed", "public", true)), 400,
                "INVALID_INPUT");
        assertError(APP.admin().put("/api/v1/projects/" + name, json()), 400, "INVALID_INPUT");
    }

    @Test
    void anEmptyProject_isDeleted_andOneWithRepositories_isAConflictNamingThem() throws Exception {
        String empty = ApiApp.unique("empty");
        APP.project(empty, false);
        String full = ApiApp.unique("full");
        APP.project(full, false);
        Registry.pushBlob(APP, full + "/web", "a layer");

        assertEquals(204, APP.admin().delete("/api/v1/projects/" + empty).status());
        assertError(APP.admin().get("/api/v1/projects/" + empty), 404, "NOT_FOUND");
        Answer refused = APP.admin().delete("/api/v1/projects/" + full);
        assertError(refused, 409, "CONFLICT");
        assertTrue(refused.errorMessage().contains(full + "/web"), refused.toString());
        assertEquals(200, APP.admin().get("/api/v1/projects/" + full).status());
        assertError(APP.admin().delete("/api/v1/projects/" + empty), 404, "NOT_FOUND");
    }

    private static List<String> names(ApiClient as) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : as.get("/api/v1/projects?page_size=100").json()) {
            names.add(p.get("name").asText());
        }
        return names;
    }
}
