package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.admin.api.ApiClient.Answer;
import io.berth.store.oci.Digest;
import io.berth.store.proxy.FakeUpstream;
import io.berth.store.upstream.RegistryEndpoint;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.berth.admin.api.ApiClient.json;
import static io.berth.admin.api.ErrorShapeTest.assertError;
import static io.berth.store.testing.ManifestJson.OCI_CONFIG;
import static io.berth.store.testing.ManifestJson.OCI_LAYER;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.descriptor;
import static io.berth.store.testing.ManifestJson.image;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Preheat jobs through the admin API, against an in-memory Docker Hub: a job accepted with its
 * location and followed until done, the cache holding what it fetched, the project's listing and
 * the audit line; refusals of bad references, local projects, and what does not exist.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PreheatApiTest {
    private static final FakeUpstream HUB = new FakeUpstream(RegistryEndpoint.Type.DOCKER_HUB);
    private static final ApiApp APP = new ApiApp(endpoint -> HUB);
    static final DropwizardAppExtension<?> EXTENSION = APP.extension;

    /** Serves a one-layer image as {@code repository:tag} upstream; returns its manifest's digest. */
    private static Digest upstreamImage(String repository, String tag) {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":\"" + repository + "\"}");
        byte[] layer = utf8("the only layer of " + repository + ":" + tag);
        HUB.putBlob(config);
        HUB.putBlob(layer);
        return HUB.putManifest(repository, tag, OCI_MANIFEST, utf8(image(OCI_MANIFEST, descriptor(OCI_CONFIG, config),
                null, descriptor(OCI_LAYER, layer))));
    }

    /** The job at {@code location} once it has finished. */
    private static JsonNode awaitFinished(String location) throws InterruptedException {
        String path = location.substring(location.indexOf("/api/v1/"));
        for (int i = 0; i < 3_000; i++) {
            Answer job = APP.admin().get(path);
            assertEquals(200, job.status(), job.toString());
            if (!List.of("queued", "running").contains(job.json().get("status").asText())) {
                return job.json();
            }
            Thread.sleep(50);
        }
        return fail("the preheat job at " + location + " did not finish");
    }

    @Test
    void preheat_isAccepted_withItsLocation_andItsGetShowsProgressUntilEverythingIsCached() throws Exception {
        String project = ApiApp.unique("hub");
        APP.proxyProject(project, false);
        Digest digest = upstreamImage("library/preheated", "1.0");

        Answer accepted = APP.admin().post("/api/v1/projects/" + project + "/preheat",
                json("references", List.of("preheated:1.0"), "platforms", List.of("linux/amd64")));

        assertEquals(202, accepted.status(), accepted.toString());
        JsonNode queued = accepted.json();
        long id = queued.get("id").asLong();
        assertTrue(accepted.header("Location").endsWith("/api/v1/preheat/" + id), accepted.toString());
        assertEquals(project, queued.get("project").asText());
        assertEquals("linux/amd64", queued.get("platforms").get(0).asText());
        assertEquals("preheated:1.0", queued.get("items").get(0).get("reference").asText());
        assertEquals(1, queued.get("total").get("references").asLong());

        JsonNode done = awaitFinished(accepted.header("Location"));

        assertEquals("succeeded", done.get("status").asText(), done.toString());
        assertEquals(done.get("total"), done.get("done"), done.toString());
        assertEquals(1, done.get("done").get("manifests").asInt(), done.toString());
        assertEquals(2, done.get("done").get("blobs").asInt(), "the config and the layer: " + done);
        JsonNode item = done.get("items").get(0);
        assertEquals("succeeded", item.get("status").asText());
        assertEquals(digest.toString(), item.get("digest").asText());
        assertTrue(item.get("error").isNull(), item.toString());
        assertFalse(done.get("started").isNull() || done.get("finished").isNull(), done.toString());
        JsonNode cache = APP.admin().get("/api/v1/projects/" + project + "/cache").json();
        assertEquals(1, cache.get("artifacts").asLong(), "the image is cached under library/: " + cache);
        Answer log = APP.admin().get("/api/v1/audit-logs?project=" + project + "&action=create");
        assertTrue(log.body().contains("\"preheat/" + id + "\"") && log.body().contains("preheated:1.0"),
                log.toString());
    }

    @Test
    void theProjectsJobs_areListedNewestFirst_withoutTheirItems() throws Exception {
        String project = ApiApp.unique("hub");
        APP.proxyProject(project, true);
        upstreamImage("library/listed", "latest");
        String first = APP.admin().post("/api/v1/projects/" + project + "/preheat",
                json("references", List.of("library/listed"))).header("Location");
        awaitFinished(first);
        String missing = APP.admin().post("/api/v1/projects/" + project + "/preheat",
                json("references", List.of("library/nothing:1", "library/listed"))).header("Location");
        JsonNode partial = awaitFinished(missing);

        Answer listed = APP.api().get("/api/v1/projects/" + project + "/preheat?page_size=1");

        assertEquals("partial", partial.get("status").asText(), partial.toString());
        assertTrue(partial.get("items").get(0).get("error").asText().contains("library/nothing"), partial.toString());
        assertEquals(200, listed.status(), listed.toString());
        assertEquals("2", listed.header("X-Total-Count"));
        assertTrue(listed.header("Link").contains("rel=\"next\""), listed.toString());
        JsonNode newest = listed.json().get(0);
        assertEquals(partial.get("id"), newest.get("id"));
        assertFalse(newest.has("items"), newest.toString());
    }

    @Test
    void aBadReference_isRefusedByName_andNothingIsStarted() {
        String project = ApiApp.unique("hub");
        APP.proxyProject(project, false);
        String path = "/api/v1/projects/" + project + "/preheat";

        Answer bad = APP.admin().post(path, json("references", List.of("library/ok:1", "Library/Bad:1")));
        Answer badPlatform = APP.admin().post(path, json("references", List.of("library/ok:1"), "platforms",
                List.of("amd64")));
        Answer none = APP.admin().post(path, json("references", List.of()));
        Answer unknownField = APP.admin().post(path, json("refs", List.of("library/ok:1")));

        assertError(bad, 400, "INVALID_INPUT");
        assertTrue(bad.errorMessage().contains("'Library/Bad:1'"), bad.toString());
        assertError(badPlatform, 400, "INVALID_INPUT");
        assertTrue(badPlatform.errorMessage().contains("'amd64'"), badPlatform.toString());
        assertError(none, 400, "INVALID_INPUT");
        assertError(unknownField, 400, "INVALID_INPUT");
        assertEquals("0", APP.admin().get(path).header("X-Total-Count"));
    }

    @Test
    void aLocalProject_isRefused_sayingPreheatIsForProxyProjects_andWhatDoesNotExist_isNotFound() {
        String local = ApiApp.unique("local");
        APP.project(local, false);

        Answer refused = APP.admin().post("/api/v1/projects/" + local + "/preheat",
                json("references", List.of("library/app:1")));

        assertError(refused, 400, "INVALID_INPUT");
        assertTrue(refused.errorMessage().contains("proxy projects"), refused.toString());
        assertError(APP.admin().post("/api/v1/projects/nothing-here/preheat", json("references", List.of("a"))), 404,
                "NOT_FOUND");
        assertError(APP.admin().get("/api/v1/preheat/999999"), 404, "NOT_FOUND");
        assertError(APP.admin().get("/api/v1/preheat/not-a-number"), 404, "NOT_FOUND");
    }
}
