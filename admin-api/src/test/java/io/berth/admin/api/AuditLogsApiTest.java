package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code /api/v1/audit-logs} and {@code /api/v1/projects/{name}/logs} through HTTP: pushes through
 * the registry port (written by the audit consumer, asynchronously) and failed sign-ins show up;
 * filters, the time range and paging; who may read which log; bad filters are 400s.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AuditLogsApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    @Test
    void aPushThroughTheRegistry_isAPushLine_inTheProjectsLogAndTheWholeLog() throws Exception {
        String project = ApiApp.unique("audited");
        String dev = ApiApp.unique("dev");
        ApiClient asDev = APP.user(dev);
        APP.project(project, false);
        APP.member(project, dev, "developer");

        Registry.pushImage(APP, ApiClient.basic(dev, ApiApp.PASSWORD), project + "/app", "1.0");

        JsonNode line = awaitOne(asDev, "/api/v1/projects/" + project + "/logs?action=push");
        assertEquals(dev, line.get("user").asText());
        assertEquals("user", line.get("userKind").asText());
        assertEquals("push", line.get("action").asText());
        assertEquals("artifact", line.get("resourceType").asText());
        assertEquals(project + "/app:1.0", line.get("resource").asText());
        assertEquals(project, line.get("project").asText());
        assertEquals(project + "/app", line.get("repository").asText());
        assertEquals("success", line.get("result").asText());
        assertEquals(1, line.get("count").asInt());
        assertEquals("127.0.0.1", line.get("address").asText(), line.toString());
        assertTrue(line.get("id").asLong() > 0, line.toString());
        Instant time = Instant.parse(line.get("time").asText());
        assertTrue(time.isAfter(Instant.now().minus(Duration.ofMinutes(5))), line.toString());
        assertTrue(line.has("detail"), "every field is there, null or not: " + line);

        Answer whole = APP.admin().get("/api/v1/audit-logs?project=" + project + "&action=push&user=" + dev);
        assertEquals(200, whole.status(), whole.toString());
        assertEquals(line, whole.json().get(0));
        assertEquals("1", whole.header("X-Total-Count"));
    }

    @Test
    void aFailedSignIn_isAFailedLoginLine_sayingWhyButNotThePassword() {
        String name = ApiApp.unique("intruder");

        assertError(APP.api().as(ApiClient.basic(name, "Guessed-Pass-1")).get("/api/v1/projects"), 401,
                "UNAUTHORIZED");

        Answer lines = APP.admin().get("/api/v1/audit-logs?user=" + name + "&result=failure");
        assertEquals(200, lines.status(), lines.toString());
        assertEquals(1, lines.json().size(), lines.toString());
        JsonNode line = lines.json().get(0);
        assertEquals("login", line.get("action").asText());
        assertEquals("failure", line.get("result").asText());
        assertEquals(name, line.get("resource").asText());
        assertTrue(line.get("detail").asText().contains("wrong user name or password"), line.toString());
        assertTrue(line.get("project").isNull(), line.toString());
        assertFalse(lines.body().contains("Guessed-Pass-1"));
        assertEquals(0, APP.admin().get("/api/v1/audit-logs?user=" + name + "&result=success").json().size());
        assertEquals(0, APP.admin().get("/api/v1/audit-logs?user=" + name + "&action=push").json().size());
    }

    @Test
    void theLog_isPagedNewestFirst_andTheTimeRangeTakesFromAndExcludesTo() {
        String name = ApiApp.unique("paged");
        for (int i = 0; i < 3; i++) {
            assertEquals(401, APP.api().as(ApiClient.basic(name, "Wrong-Pass-" + i)).get("/api/v1/users").status());
        }

        Answer first = APP.admin().get("/api/v1/audit-logs?user=" + name + "&page_size=2");
        Answer second = APP.admin().get("/api/v1/audit-logs?user=" + name + "&page_size=2&page=2");

        assertEquals("3", first.header("X-Total-Count"), first.toString());
        assertEquals(2, first.json().size(), first.toString());
        assertTrue(first.header("Link").contains("rel=\"next\"") && first.header("Link").contains("page=2"),
                first.toString());
        assertEquals(1, second.json().size(), second.toString());
        assertTrue(second.header("Link").contains("rel=\"prev\""), second.toString());
        List<JsonNode> lines = new ArrayList<>();
        first.json().forEach(lines::add);
        second.json().forEach(lines::add);
        assertTrue(lines.get(0).get("id").asLong() > lines.get(1).get("id").asLong()
                && lines.get(1).get("id").asLong() > lines.get(2).get("id").asLong(), lines.toString());
        String middle = lines.get(1).get("time").asText();
        assertEquals(2, APP.admin().get("/api/v1/audit-logs?user=" + name + "&from=" + middle).json().size());
        assertEquals(1, APP.admin().get("/api/v1/audit-logs?user=" + name + "&to=" + middle).json().size());
        assertEquals(3, APP.admin().get("/api/v1/audit-logs?user=" + name + "&from=2000-01-01T00:00:00Z&to="
                + Instant.now().plus(Duration.ofHours(1))).json().size());
    }

    @Test
    void aProjectsLog_isForItsGuestsAndUp_andSystemAdmins_whileTheWholeLogIsForAdminsOnly() {
        String mine = ApiApp.unique("mine");
        String theirs = ApiApp.unique("theirs");
        String open = ApiApp.unique("open");
        String guest = ApiApp.unique("guest");
        String dev = ApiApp.unique("dev");
        ApiClient asGuest = APP.user(guest);
        ApiClient asDev = APP.user(dev);
        APP.project(mine, false);
        APP.project(theirs, false);
        APP.project(open, true);
        APP.member(mine, guest, "guest");
        APP.member(mine, dev, "developer");

        assertEquals(200, asGuest.get("/api/v1/projects/" + mine + "/logs").status());
        assertEquals(200, asDev.get("/api/v1/projects/" + mine + "/logs").status());
        assertEquals(200, APP.admin().get("/api/v1/projects/" + theirs + "/logs").status());
        assertError(asDev.get("/api/v1/projects/" + theirs + "/logs"), 403, "DENIED");
        assertError(asDev.get("/api/v1/projects/" + open + "/logs"), 403, "DENIED");
        assertError(APP.api().get("/api/v1/projects/" + open + "/logs"), 401, "UNAUTHORIZED");
        assertError(asDev.get("/api/v1/projects/" + ApiApp.unique("none") + "/logs"), 404, "NOT_FOUND");
        assertError(asDev.get("/api/v1/audit-logs"), 403, "DENIED");
        assertError(APP.api().get("/api/v1/audit-logs"), 401, "UNAUTHORIZED");
    }

    @Test
    void badFilters_areInvalidInput_sayingWhatIsExpected() {
        Answer from = APP.admin().get("/api/v1/audit-logs?from=yesterday");
        assertError(from, 400, "INVALID_INPUT");
        assertTrue(from.errorMessage().contains("from must be an ISO-8601 instant"), from.toString());
        Answer result = APP.admin().get("/api/v1/audit-logs?result=ok");
        assertError(result, 400, "INVALID_INPUT");
        assertTrue(result.errorMessage().contains("'success' or 'failure'"), result.toString());
        assertError(APP.admin().get("/api/v1/audit-logs?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z"), 400,
                "INVALID_INPUT");
        assertError(APP.admin().get("/api/v1/audit-logs?page_size=1000"), 400, "INVALID_INPUT");
        assertEquals(200, APP.admin().get("/api/v1/audit-logs?from=2025-01-01T00:00:00%2B02:00").status());
        assertEquals(200, APP.admin().get("/api/v1/audit-logs?user=&result=").status());
    }

    /** The one line a listing shows once the audit consumer wrote it, waiting at most 15 seconds. */
    private static JsonNode awaitOne(ApiClient as, String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Answer answer = as.get(path);
            assertEquals(200, answer.status(), answer.toString());
            if (!answer.json().isEmpty()) {
                assertEquals(1, answer.json().size(), answer.toString());
                assertNotNull(answer.json().get(0));
                return answer.json().get(0);
            }
            Thread.sleep(50);
        }
        fail("nothing at " + path + " after 15 seconds");
        return null;
    }
}
