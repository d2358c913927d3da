package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.BerthApplicationTest;
import io.berth.admin.api.ApiClient.Answer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static io.berth.admin.api.ErrorShapeTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A proxy project's cache through the admin API: its usage, and pinning and unpinning an artifact
 * by tag or digest in a repository whose name has slashes, audited; refusals for local projects and
 * for what does not exist.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProxyCacheApiTest {
    private static final ApiApp APP = new ApiApp();
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    /** A project holding {@code library/app:1}, made a proxy project afterwards. */
    private static String proxyWithImage(Long sizeBudget) throws Exception {
        String project = ApiApp.unique("hub");
        APP.project(project, false);
        Registry.pushImage(APP, BerthApplicationTest.adminBasic(APP.data), project + "/library/app", "1");
        CachedProxies.makeProxy(APP, project, sizeBudget);
        return project;
    }

    @Test
    void cache_reportsWhatTheProxyProjectHolds_andItsBounds() throws Exception {
        String project = proxyWithImage(1_000_000L);
        JsonNode artifact = APP.admin().get("/api/v1/repositories/" + project + "/library/app/artifacts").json().get(0);
        long config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8).length;
        long layer = ("a layer of " + project + "/library/app:1").getBytes(StandardCharsets.UTF_8).length;

        Answer cache = APP.admin().get("/api/v1/projects/" + project + "/cache");

        assertEquals(200, cache.status(), cache.toString());
        JsonNode usage = cache.json();
        assertEquals(project, usage.get("project").asText());
        assertEquals(config + layer + artifact.get("size").asLong(), usage.get("bytes").asLong(), cache.toString());
        assertEquals(3, usage.get("blobs").asLong());
        assertEquals(1, usage.get("artifacts").asLong());
        assertEquals(1_000_000L, usage.get("sizeBudget").asLong());
        assertTrue(usage.get("maxAgeSeconds").isNull(), cache.toString());
        assertTrue(usage.get("lastEviction").isNull(), cache.toString());
    }

    @Test
    void cache_ofALocalProject_isRefused_andOfAnUnknownOne_isNotFound() {
        String local = ApiApp.unique("local");
        APP.project(local, false);

        assertError(APP.admin().get("/api/v1/projects/" + local + "/cache"), 400, "INVALID_INPUT");
        assertError(APP.admin().get("/api/v1/projects/nothing-here/cache"), 404, "NOT_FOUND");
    }

    @Test
    void pin_byTag_thenUnpinByDigest_showsInTheListing_andIsAudited() throws Exception {
        String project = proxyWithImage(null);
        String pinPath = "/api/v1/projects/" + project + "/repositories/library/app/artifacts/";

        Answer pinned = APP.admin().send("PUT", pinPath + "1/pin", null, null);

        assertEquals(200, pinned.status(), pinned.toString());
        String digest = pinned.json().get("digest").asText();
        assertEquals(project + "/library/app", pinned.json().get("repository").asText());
        assertTrue(pinned.json().get("pinned").asBoolean());
        assertTrue(listed(project).get("pinned").asBoolean());

        Answer unpinned = APP.admin().delete(pinPath + digest + "/pin");

        assertEquals(204, unpinned.status(), unpinned.toString());
        assertTrue(!listed(project).get("pinned").asBoolean());
        Answer log = APP.admin().get("/api/v1/audit-logs?project=" + project + "&action=update");
        assertEquals(2, log.json().size(), log.toString());
        assertTrue(log.body().contains(project + "/library/app@" + digest), log.toString());
        assertTrue(log.body().contains("\"unpinned\""), log.toString());
        assertTrue(log.body().contains("\"pinned\""), log.toString());
    }

    @Test
    void pin_isRefused_forALocalProject_anUnknownArtifact_andABadTag() throws Exception {
        String project = proxyWithImage(null);
        String local = ApiApp.unique("local");
        APP.project(local, false);
        Registry.pushImage(APP, BerthApplicationTest.adminBasic(APP.data), local + "/app", "1");

        assertError(APP.admin().send("PUT", "/api/v1/projects/" + local + "/repositories/app/artifacts/1/pin", null,
                null), 400, "INVALID_INPUT");
        assertError(APP.admin().send("PUT", "/api/v1/projects/" + project
                + "/repositories/library/app/artifacts/2/pin", null, null), 404, "NOT_FOUND");
        assertError(APP.admin().send("PUT", "/api/v1/projects/" + project
                + "/repositories/library/other/artifacts/1/pin", null, null), 404, "NOT_FOUND");
        assertError(APP.admin().send("PUT", "/api/v1/projects/" + project
                + "/repositories/library/app/artifacts/-x/pin", null, null), 400, "INVALID_INPUT");
    }

    private static JsonNode listed(String project) {
        return APP.admin().get("/api/v1/repositories/" + project + "/library/app/artifacts").json().get(0);
    }
}
