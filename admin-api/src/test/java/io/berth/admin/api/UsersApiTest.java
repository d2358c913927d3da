package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/users} through HTTP: admins manage accounts, users their own; passwords never come back. */
@ExtendWith(DropwizardExtensionsSupport.class)
class UsersApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void anAdminCreatesAUser_whoSignsIn_andNoHashIsShown() {
        String alice = ApiApp.unique("alice");

        Answer created = APP.admin().post("/api/v1/users", json("username", alice, "password", ApiApp.PASSWORD,
                "email", "a@x.io"));

        assertEquals(201, created.status(), created.toString());
        assertTrue(created.header("Location").endsWith("/api/v1/users/" + alice));
        JsonNode user = created.json();
        assertEquals(alice, user.get("username").asText());
        assertEquals("a@x.io", user.get("email").asText());
        assertFalse(user.get("sysadmin").asBoolean());
        assertNoSecrets(created);
        Answer current = APP.api().as(ApiClient.basic(alice, ApiApp.PASSWORD)).get("/api/v1/users/current");
        assertEquals(200, current.status(), current.toString());
        assertEquals(alice, current.json().get("username").asText());
        assertNoSecrets(current);
        Answer listed = APP.admin().get("/api/v1/users?page_size=100");
        assertTrue(listed.body().contains("\"" + alice + "\""), listed.toString());
        assertNoSecrets(listed);
    }

    @Test
    void badAccounts_areRefusedClearly() {
        String taken = ApiApp.unique("taken");
        APP.user(taken);

        assertError(APP.admin().post("/api/v1/users", json("username", taken, "password", ApiApp.PASSWORD)), 409,
                "CONFLICT");
        Answer weak = APP.admin().post("/api/v1/users", json("username", ApiApp.unique("weak"), "password", "password"));
        assertError(weak, 400, "INVALID_INPUT");
        assertTrue(weak.errorMessage().contains("too weak"), weak.toString());
        assertFalse(weak.body().contains("\"password\""), "the password is not echoed");
        assertError(APP.admin().post("/api/v1/users", json("username", "bad name", "password", ApiApp.PASSWORD)), 400,
                "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/users", json("username", "robot$x", "password", ApiApp.PASSWORD)), 400,
                "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/users", json("username", "current", "password", ApiApp.PASSWORD)), 400,
                "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/users", json("username", ApiApp.unique("m"), "password",
                ApiApp.PASSWORD, "email", "not-an-address")), 400, "INVALID_INPUT");
        assertError(APP.admin().post("/api/v1/users", json("username", ApiApp.unique("np"))), 400, "INVALID_INPUT");
    }

    @Test
    void aUser_readsAndChangesTheirOwnAccountOnly() {
        String alice = ApiApp.unique("alice");
        ApiClient asAlice = APP.user(alice);
        String bob = ApiApp.unique("bob");
        APP.user(bob);

        assertEquals(200, asAlice.get("/api/v1/users/" + alice).status());
        Answer changed = asAlice.put("/api/v1/users/" + alice, json("email", "alice@x.io"));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals("alice@x.io", changed.json().get("email").asText());
        assertError(asAlice.get("/api/v1/users/" + bob), 403, "DENIED");
        assertError(asAlice.put("/api/v1/users/" + bob, json("email", "x@x.io")), 403, "DENIED");
        assertError(asAlice.get("/api/v1/users"), 403, "DENIED");
        assertError(asAlice.delete("/api/v1/users/" + bob), 403, "DENIED");
        assertError(asAlice.put("/api/v1/users/" + alice + "/sysadmin", json("sysadmin", true)), 403, "DENIED");
        assertError(asAlice.post("/api/v1/users", json("username", ApiApp.unique("x"), "password", ApiApp.PASSWORD)),
                403, "DENIED");
        assertError(asAlice.put("/api/v1/users/" + alice, json("email", "a@x.io", "password", "Other-Pass-1")), 400,
                "INVALID_INPUT");
        assertError(APP.admin().get("/api/v1/users/" + ApiApp.unique("ghost")), 404, "NOT_FOUND");
    }

    @Test
    void passwords_changeWithTheOldOne_orByAnAdminForSomeoneElse() {
        String alice = ApiApp.unique("alice");
        ApiClient asAlice = APP.user(alice);
        String path = "/api/v1/users/" + alice + "/password";

        assertError(asAlice.put(path, json("newPassword", "Another-Pass-7")), 400, "INVALID_INPUT");
        assertError(asAlice.put(path, json("oldPassword", "Wrong-Pass-1", "newPassword", "Another-Pass-7")), 400,
                "INVALID_INPUT");
        assertError(asAlice.put(path, json("oldPassword", ApiApp.PASSWORD, "newPassword", "weak")), 400, "INVALID_INPUT");
        assertEquals(204, asAlice.put(path, json("oldPassword", ApiApp.PASSWORD, "newPassword", "Another-Pass-7")).status());
        assertError(asAlice.get("/api/v1/users/current"), 401, "UNAUTHORIZED");
        ApiClient renewed = APP.api().as(ApiClient.basic(alice, "Another-Pass-7"));
        assertEquals(200, renewed.get("/api/v1/users/current").status());

        assertEquals(204, APP.admin().put(path, json("newPassword", "Reset-By-Admin-3")).status());
        assertEquals(200, APP.api().as(ApiClient.basic(alice, "Reset-By-Admin-3")).get("/api/v1/users/current").status());
        assertError(APP.admin().put("/api/v1/users/admin/password", json("newPassword", "Reset-By-Admin-3")), 400,
                "INVALID_INPUT");
    }

    @Test
    void anAdmin_promotesAndDeletesUsers_butNotTheBuiltInAdmin() {
        String carol = ApiApp.unique("carol");
        ApiClient asCarol = APP.user(carol);

        Answer promoted = APP.admin().put("/api/v1/users/" + carol + "/sysadmin", json("sysadmin", true));
        assertEquals(200, promoted.status(), promoted.toString());
        assertTrue(promoted.json().get("sysadmin").asBoolean());
        assertEquals(200, asCarol.get("/api/v1/users").status(), "a system admin now");
        assertError(APP.admin().put("/api/v1/users/admin/sysadmin", json("sysadmin", false)), 400, "INVALID_INPUT");
        assertError(APP.admin().put("/api/v1/users/" + carol + "/sysadmin", json()), 400, "INVALID_INPUT");
        assertError(APP.admin().delete("/api/v1/users/admin"), 400, "INVALID_INPUT");

        assertEquals(204, APP.admin().delete("/api/v1/users/" + carol).status());
        assertError(APP.admin().get("/api/v1/users/" + carol), 404, "NOT_FOUND");
        assertError(asCarol.get("/api/v1/users/current"), 401, "UNAUTHORIZED");
    }

    @Test
    void aRegistryToken_signsIntoTheApi_asItsAccountIsNow() throws Exception {
        String dave = ApiApp.unique("dave");
        APP.user(dave);
        HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + APP.registryPort + "/service/token?service=berth"))
                .header("Authorization", ApiClient.basic(dave, ApiApp.PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        ApiClient asBearer = APP.api().as("Bearer " + ApiClient.JSON.readTree(token.body()).get("token").asText());

        assertEquals(dave, asBearer.get("/api/v1/users/current").json().get("username").asText());
        assertError(asBearer.get("/api/v1/users"), 403, "DENIED");
        APP.admin().put("/api/v1/users/" + dave + "/sysadmin", json("sysadmin", true));
        assertEquals(200, asBearer.get("/api/v1/users").status(), "the account as it is now");
        APP.admin().delete("/api/v1/users/" + dave);
        assertError(asBearer.get("/api/v1/users/current"), 401, "UNAUTHORIZED");
    }

    private static void assertNoSecrets(Answer answer) {
        assertFalse(answer.body().contains("password"), answer.toString());
        assertFalse(answer.body().contains("$2a$") || answer.body().contains("$2y$") || answer.body().contains("hash"),
                answer.toString());
    }
}
