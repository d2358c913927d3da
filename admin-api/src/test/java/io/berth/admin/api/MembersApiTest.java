package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/projects/{name}/members} through HTTP: users and groups, roles by wire name, clear refusals. */
@ExtendWith(DropwizardExtensionsSupport.class)
class MembersApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void aUserJoins_changesRole_andLeaves_andTheirAccessFollows() {
        String project = ApiApp.unique("team");
        String alice = ApiApp.unique("alice");
        ApiClient asAlice = APP.user(alice);
        APP.project(project, false);
        String members = "/api/v1/projects/" + project + "/members";
        assertError(asAlice.get(members), 403, "DENIED");

        Answer added = APP.admin().post(members, json("username", alice, "role", "developer"));

        assertEquals(201, added.status(), added.toString());
        assertEquals(alice, added.json().get("username").asText());
        assertEquals("developer", added.json().get("role").asText());
        assertTrue(added.header("Location").endsWith(members + "/" + alice), added.toString());
        assertEquals(200, asAlice.get(members).status(), "a developer lists the members");
        assertError(asAlice.post(members, json("username", "admin", "role", "guest")), 403, "DENIED");

        Answer changed = APP.admin().put(members + "/" + alice, json("role", "projectAdmin"));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals("projectAdmin", changed.json().get("role").asText());
        assertEquals(200, asAlice.put("/api/v1/projects/" + project, json("public", true)).status());

        assertEquals(204, APP.admin().delete(members + "/" + alice).status());
        assertError(asAlice.put("/api/v1/projects/" + project, json("public", false)), 403, "DENIED");
    }

    @Test
    void aDirectoryGroup_isAMemberByItsDn() {
        String project = ApiApp.unique("team");
        APP.project(project, false);
        String members = "/api/v1/projects/" + project + "/members";
        String dn = "cn=devs,ou=groups,dc=example,dc=org";

        Answer added = APP.admin().post(members, json("group", dn, "role", "maintainer"));

        assertEquals(201, added.status(), added.toString());
        assertEquals(dn, added.json().get("group").asText());
        assertTrue(!added.json().has("username"), added.toString());
        assertEquals("guest", APP.admin().put(members + "/" + dn, json("role", "guest")).json().get("role").asText());
        JsonNode listed = APP.admin().get(members).json();
        assertEquals(2, listed.size(), "the creator (admin) and the group: " + listed);
        assertEquals(204, APP.admin().delete(members + "/" + dn).status());
    }

    @Test
    void mistakes_getClearRefusals() {
        String project = ApiApp.unique("team");
        String bob = ApiApp.unique("bob");
        APP.user(bob);
        APP.project(project, false);
        String members = "/api/v1/projects/" + project + "/members";
        APP.member(project, bob, "guest");

        Answer unknownRole = APP.admin().post(members, json("username", bob, "role", "owner"));
        assertError(unknownRole, 400, "INVALID_INPUT");
        assertTrue(unknownRole.errorMessage().contains("limitedGuest, guest, developer, maintainer, projectAdmin"));
        assertError(APP.admin().post(members, json("username", bob, "role", "developer")), 409, "CONFLICT");
        assertError(APP.admin().post(members, json("username", "ghost", "role", "guest")), 404, "NOT_FOUND");
        assertError(APP.admin().post(members, json("username", bob, "group", "devs", "role", "guest")), 400,
                "INVALID_INPUT");
        assertError(APP.admin().post(members, json("role", "guest")), 400, "INVALID_INPUT");
        assertError(APP.admin().post(members, json("username", bob)), 400, "INVALID_INPUT");
        assertError(APP.admin().post(members, json("username", bob, "role", "guest", "extra", 1)), 400, "INVALID_INPUT");
        assertError(APP.admin().put(members + "/ghost", json("role", "guest")), 404, "NOT_FOUND");
        assertError(APP.admin().put(members + "/" + bob, json("username", "other", "role", "guest")), 400,
                "INVALID_INPUT");
        assertError(APP.admin().delete(members + "/ghost"), 404, "NOT_FOUND");
        assertError(APP.admin().get("/api/v1/projects/" + ApiApp.unique("none") + "/members"), 404, "NOT_FOUND");
    }

    @Test
    void theListing_isPaged() {
        String project = ApiApp.unique("team");
        APP.project(project, false);
        for (int i = 0; i < 2; i++) {
            String user = ApiApp.unique("m");
            APP.user(user);
            APP.member(project, user, "guest");
        }

        Answer page = APP.admin().get("/api/v1/projects/" + project + "/members?page=2&page_size=2");

        assertEquals(200, page.status(), page.toString());
        assertEquals("3", page.header("X-Total-Count"));
        assertEquals(1, page.json().size());
        assertTrue(page.header("Link").contains("rel=\"prev\""), page.toString());
    }
}
