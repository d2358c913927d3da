package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.berth.admin.api.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every refusal of the admin API, whoever makes it (a resource, the sign-in filter, Jersey,
 * Jackson, bean validation), answers {@code {"errors":[{"code","message"}]}} with a status that
 * fits the client's mistake, and never a stack trace.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErrorShapeTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void anUnknownRoute_isNotFound_andPointsAtTheDocument() {
        Answer answer = APP.admin().get("/api/v1/nothing/here");

        assertError(answer, 404, "NOT_FOUND");
        assertTrue(answer.errorMessage().contains("openapi.json"), answer.toString());
    }

    @Test
    void anUnknownRoute_outsideTheApi_isNotFoundToo() {
        assertError(APP.api().get("/nowhere"), 404, "NOT_FOUND");
    }

    @Test
    void aMethodAPathDoesNotTake_isNotAllowed_sayingWhichItTakes() {
        Answer answer = APP.admin().send("PATCH", "/api/v1/users", "{}", "application/json");

        assertError(answer, 405, "METHOD_NOT_ALLOWED");
        assertNotNull(answer.header("Allow"), answer.toString());
        assertTrue(answer.errorMessage().contains("GET"), answer.toString());
    }

    @Test
    void malformedJson_isInvalidInput_sayingWhere() {
        Answer answer = APP.admin().post("/api/v1/projects", "{\"name\": \"team\",");

        assertError(answer, 400, "INVALID_INPUT");
        assertTrue(answer.errorMessage().contains("not valid JSON"), answer.toString());
    }

    @Test
    void anUnknownField_isInvalidInput_namingTheFieldsThereAre() {
        Answer answer = APP.admin().post("/api/v1/projects", json("name", ApiApp.unique("p"), "pubilc", true));

        assertError(answer, 400, "INVALID_INPUT");
        assertTrue(answer.errorMessage().contains("'pubilc'"), answer.toString());
        assertTrue(answer.errorMessage().contains("public"), answer.toString());
    }

    @Test
    void aValueOfTheWrongType_isInvalidInput_namingTheFieldButNotTheValue() {
        Answer answer = APP.admin().post("/api/v1/users", json("username", "typed", "password",
                Map.of("secret", "Hunter2-Hunter2"), "email", null));

        assertError(answer, 400, "INVALID_INPUT");
        assertTrue(answer.errorMessage().contains("password"), answer.toString());
        assertFalse(answer.body().contains("Hunter2"), answer.toString());
    }

    @Test
    void aMissingBody_isInvalidInput() {
        assertError(APP.admin().send("POST", "/api/v1/projects", null, "application/json"), 400, "INVALID_INPUT");
        assertError(APP.admin().send("PUT", "/api/v1/users/admin/sysadmin", "", "application/json"), 400,
                "INVALID_INPUT");
    }

    @Test
    void aMissingField_isInvalidInput_namingIt() {
        Answer answer = APP.admin().post("/api/v1/projects", json("public", true));

        assertError(answer, 400, "INVALID_INPUT");
        assertTrue(answer.errorMessage().contains("'name'"), answer.toString());
    }

    @Test
    void aBodyThatIsNotJson_isAnUnsupportedMediaType() {
        assertError(APP.admin().send("POST", "/api/v1/projects", "name=team", "application/x-www-form-urlencoded"),
                415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void badPaging_isInvalidInput() {
        assertError(APP.admin().get("/api/v1/projects?page=0"), 400, "INVALID_INPUT");
        assertError(APP.admin().get("/api/v1/users?page_size=1000"), 400, "INVALID_INPUT");
        assertError(APP.admin().get("/api/v1/robots?page=two"), 400, "INVALID_INPUT");
    }

    @Test
    void noCredentials_whereTheyAreNeeded_isUnauthorized_withABasicChallenge() {
        Answer answer = APP.api().get("/api/v1/users/current");

        assertError(answer, 401, "UNAUTHORIZED");
        assertEquals("Basic realm=\"berth\"", answer.header("WWW-Authenticate"));
    }

    @Test
    void anotherScheme_orAForeignToken_isUnauthorized() {
        assertError(APP.api().as("Digest username=\"admin\"").get("/api/v1/projects"), 401, "UNAUTHORIZED");
        Answer forged = APP.api().as("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.").get("/api/v1/users");
        assertError(forged, 401, "UNAUTHORIZED");
        assertEquals("Basic realm=\"berth\"", forged.header("WWW-Authenticate"));
    }

    @Test
    void repeatedFailedSignIns_areThrottled_withRetryAfter_evenWithTheRightPassword() {
        String victim = ApiApp.unique("victim");
        APP.user(victim);
        ApiClient guessing = APP.api().as(ApiClient.basic(victim, "Wrong-Guess-1"));
        for (int i = 0; i < 10; i++) {
            assertError(guessing.get("/api/v1/users/current"), 401, "UNAUTHORIZED");
        }

        Answer throttled = APP.api().as(ApiClient.basic(victim, ApiApp.PASSWORD)).get("/api/v1/users/current");

        assertError(throttled, 429, "TOO_MANY_REQUESTS");
        assertTrue(Long.parseLong(throttled.header("Retry-After")) > 0, throttled.toString());
        assertFalse(throttled.body().contains(ApiApp.PASSWORD), throttled.toString());
    }

    @Test
    void whatJettyRefusesBeforeTheApiRuns_answersTheSameShape_notAnHtmlPage() throws IOException {
        List<String> requests = List.of(
                "GET /api/v1/projects/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /api/v1/robots/1%2F2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /api/v1/projects HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                        + "\r\nConnection: close\r\n\r\n");
        for (String request : requests) {
            String response = raw(request);
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertTrue(response.startsWith("HTTP/1.1 4"), response);
            assertTrue(response.contains("Content-Type: application/json"), response);
            assertEquals("INVALID_INPUT", ApiClient.JSON.readTree(body).path("errors").path(0).path("code").asText(),
                    response);
        }
    }

    @Test
    void theHealthCheck_staysOpen() {
        assertEquals(200, APP.api().get("/admin/healthcheck").status());
    }

    /** The whole answer to a request written as raw bytes (what an HTTP client would refuse to send). */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", EXTENSION.getLocalPort())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Status, code, and the shape: one error of exactly a code and a message, no trace. */
    static void assertError(Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals("application/json", answer.header("Content-Type"), answer.toString());
        JsonNode body = answer.json();
        assertNotNull(body, answer.toString());
        assertEquals(1, body.size(), answer.toString());
        assertEquals(1, body.get("errors").size(), answer.toString());
        JsonNode error = body.get("errors").get(0);
        assertEquals(2, error.size(), answer.toString());
        assertEquals(code, error.get("code").asText(), answer.toString());
        assertFalse(error.get("message").asText().isBlank(), answer.toString());
        assertFalse(answer.body().contains("Exception") || answer.body().contains("\tat "), answer.toString());
    }
}
