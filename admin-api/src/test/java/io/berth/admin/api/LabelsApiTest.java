package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.BerthApplicationTest;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Labels on artifacts through HTTP: put on by tag (201, then 200 when it is there), shown in the
 * artifact listing, taken off by digest (204), each change in the audit log; 404 for what does
 * not exist, 400 for a bad name, and only maintainers and up may label.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LabelsApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    /** A private project holding {@code team/app:1}; returns the project's name. */
    private static String projectWithImage() throws Exception {
        String project = ApiApp.unique("labels");
        APP.project(project, false);
        Registry.pushImage(APP, BerthApplicationTest.adminBasic(APP.data), project + "/team/app", "1");
        return project;
    }

    @Test
    void label_byTag_showsInTheListing_andIsTakenOffByDigest() throws Exception {
        String project = projectWithImage();
        String artifacts = "/api/v1/repositories/" + project + "/team/app/artifacts";

        Answer added = APP.admin().post(artifacts + "/1/labels", json("name", "prod"));
        Answer again = APP.admin().post(artifacts + "/1/labels", json("name", "prod"));
        Answer second = APP.admin().post(artifacts + "/1/labels", json("name", "eu"));

        assertEquals(201, added.status(), added.toString());
        assertEquals(200, again.status(), again.toString());
        assertEquals(201, second.status(), second.toString());
        String digest = added.json().get("digest").asText();
        assertEquals(project + "/team/app", added.json().get("repository").asText());
        assertEquals(List.of("eu", "prod"), strings(second.json().get("labels")));
        assertEquals(List.of("eu", "prod"), strings(APP.admin().get(artifacts).json().get(0).get("labels")));

        Answer removed = APP.admin().delete(artifacts + "/" + digest + "/labels/eu");

        assertEquals(204, removed.status(), removed.toString());
        assertEquals(List.of("prod"), strings(APP.admin().get(artifacts).json().get(0).get("labels")));
        assertError(APP.admin().delete(artifacts + "/" + digest + "/labels/eu"), 404, "NOT_FOUND");
    }

    @Test
    void eachChange_reachesTheAuditLog_throughTheOutbox() throws Exception {
        String project = projectWithImage();
        String artifacts = "/api/v1/repositories/" + project + "/team/app/artifacts";
        assertEquals(201, APP.admin().post(artifacts + "/1/labels", json("name", "qa")).status());
        assertEquals(204, APP.admin().delete(artifacts + "/1/labels/qa").status());

        JsonNode lines = awaitLines("/api/v1/audit-logs?project=" + project + "&action=update", 2);

        assertEquals("label 'qa' removed", lines.get(0).get("detail").asText(), lines.toString());
        assertEquals("label 'qa' added", lines.get(1).get("detail").asText(), lines.toString());
        assertTrue(lines.get(0).get("resource").asText().startsWith(project + "/team/app@sha256:"), lines.toString());
        assertEquals("admin", lines.get(0).get("user").asText(), lines.toString());
    }

    @Test
    void whatDoesNotExist_isNotFound_andABadName_isInvalidInput() throws Exception {
        String project = projectWithImage();
        String artifacts = "/api/v1/repositories/" + project + "/team/app/artifacts";

        assertError(APP.admin().post(artifacts + "/2/labels", json("name", "prod")), 404, "NOT_FOUND");
        assertError(APP.admin().post("/api/v1/repositories/" + project + "/team/none/artifacts/1/labels",
                json("name", "prod")), 404, "NOT_FOUND");
        assertError(APP.admin().post("/api/v1/repositories/nosuchproject/app/artifacts/1/labels",
                json("name", "prod")), 404, "NOT_FOUND");
        assertError(APP.admin().delete(artifacts + "/1/labels/never-added"), 404, "NOT_FOUND");
        Answer bad = APP.admin().post(artifacts + "/1/labels", json("name", "has space"));
        assertError(bad, 400, "INVALID_INPUT");
        assertTrue(bad.errorMessage().contains("letters, digits"), bad.toString());
        assertError(APP.admin().post(artifacts + "/1/labels", json()), 400, "INVALID_INPUT");
        assertEquals(List.of(), strings(APP.admin().get(artifacts).json().get(0).get("labels")));
    }

    @Test
    void onlyMaintainersAndUp_mayLabel() throws Exception {
        String project = projectWithImage();
        String artifacts = "/api/v1/repositories/" + project + "/team/app/artifacts";
        String developer = ApiApp.unique("dev");
        String maintainer = ApiApp.unique("maint");
        ApiClient asDeveloper = APP.user(developer);
        ApiClient asMaintainer = APP.user(maintainer);
        APP.member(project, developer, "developer");
        APP.member(project, maintainer, "maintainer");

        assertError(asDeveloper.post(artifacts + "/1/labels", json("name", "prod")), 403, "DENIED");
        assertError(APP.api().post(artifacts + "/1/labels", json("name", "prod")), 401, "UNAUTHORIZED");
        assertEquals(201, asMaintainer.post(artifacts + "/1/labels", json("name", "prod")).status());
        assertError(asDeveloper.delete(artifacts + "/1/labels/prod"), 403, "DENIED");
        assertEquals(204, asMaintainer.delete(artifacts + "/1/labels/prod").status());
    }

    /** The audit lines at {@code path} once there are {@code count}, newest first; the deadline only turns a hang into a failure. */
    private static JsonNode awaitLines(String path, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Answer answer = APP.admin().get(path);
            assertEquals(200, answer.status(), answer.toString());
            if (answer.json().size() >= count) {
                assertEquals(count, answer.json().size(), answer.toString());
                return answer.json();
            }
            Thread.sleep(50);
        }
        fail("fewer than " + count + " lines at " + path + " after 15 seconds");
        return null;
    }

    private static List<String> strings(JsonNode array) {
        return ApiClient.JSON.convertValue(array, ApiClient.JSON.getTypeFactory().constructCollectionType(List.class,
                String.class));
    }
}
