package io.berth.gateway.v2;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.testing.ProxyFixtures;
import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;
import io.berth.store.meta.Transactions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static io.berth.gateway.testing.RawConnection.requestHead;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A proxy project over HTTP as a client sees it: every push and delete route is refused with 403
 * {@code DENIED} saying the project is a proxy of its upstream, before any of the body is read
 * (no {@code 100 Continue}), and nothing is stored; what it holds is still served.
 */
class ProxyReadOnlyTest {
    private static final String REPO = "hub/library/app";
    private static final TestContent.Blob CONFIG = TestContent.config(71);
    private static final TestContent.Blob LAYER = TestContent.layer(71, 2048);
    private static final TestContent.Blob IMAGE = TestContent.image(CONFIG, LAYER).build();
    /** Content pushed nowhere in the proxy project. */
    private static final TestContent.Blob OTHER_LAYER = TestContent.layer(72, 1500);
    private static final TestContent.Blob OTHER_IMAGE = TestContent.image(CONFIG, OTHER_LAYER).build();

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    /** An upload session started while the project was still local. */
    private static String openUpload;

    @BeforeAll
    static void aProxyProjectHoldingAnImage() {
        V2Client client = SERVER.client();
        client.pushBlob(REPO, CONFIG);
        client.pushBlob(REPO, LAYER);
        client.pushManifest(REPO, "1.0", IMAGE);
        client.pushBlob("team/app", OTHER_LAYER);
        openUpload = client.startUpload(REPO);
        Transactions tx = SERVER.registry().transactions();
        ProxyFixtures.makeProxy(tx, "hub", ProxyFixtures.registryEndpoint(tx, "hub-upstream", "docker-hub",
                "https://registry-1.docker.io"));
        SERVER.registry().repositories().forget("hub");
    }

    @Test
    void startingAnUpload_isDenied_andNoSessionIsOpened() {
        long sessions = uploadSessions();

        assertDenied(client().post("/v2/" + REPO + "/blobs/uploads/", new byte[0]));

        assertEquals(sessions, uploadSessions());
    }

    @Test
    void aMonolithicUpload_isDenied_andTheBlobIsNotStored() {
        byte[] content = TestContent.bytes(73, 4096);
        String digest = TestContent.digest(content);

        assertDenied(client().post("/v2/" + REPO + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream"));

        assertError(client().get("/v2/" + REPO + "/blobs/" + digest), 404, "BLOB_UNKNOWN");
        assertError(client().get("/v2/team/app/blobs/" + digest), 404, "BLOB_UNKNOWN");
    }

    @Test
    void aMountIntoTheProxyProject_isDenied_andLinksNothing() {
        assertDenied(client().post("/v2/" + REPO + "/blobs/uploads/?mount=" + OTHER_LAYER.digest() + "&from=team/app",
                new byte[0]));

        assertError(client().get("/v2/" + REPO + "/blobs/" + OTHER_LAYER.digest()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void chunksAndTheFinishingPut_ofAnUploadStartedBefore_areDenied() {
        byte[] chunk = TestContent.bytes(74, 1000);

        assertDenied(client().patch(openUpload, chunk, "Content-Range", "0-999"));
        assertDenied(client().put(openUpload + "?digest=" + TestContent.digest(chunk), chunk));
        assertDenied(client().get(openUpload));
        assertDenied(client().delete(openUpload));

        assertError(client().get("/v2/" + REPO + "/blobs/" + TestContent.digest(chunk)), 404, "BLOB_UNKNOWN");
    }

    @Test
    void pushingAManifest_isDenied_andNoTagAppears() {
        assertDenied(client().putManifest(REPO, "2.0", IMAGE));
        assertDenied(client().putManifest(REPO, OTHER_IMAGE.digest(), OTHER_IMAGE));

        assertError(client().get("/v2/" + REPO + "/manifests/2.0"), 404, "MANIFEST_UNKNOWN");
        assertEquals(List.of("1.0"), strings(json(client().get("/v2/" + REPO + "/tags/list").body()), "tags"));
    }

    @Test
    void deletingManifestsTagsAndBlobs_isDenied_andTheyStay() {
        assertDenied(client().delete("/v2/" + REPO + "/manifests/1.0"));
        assertDenied(client().delete("/v2/" + REPO + "/manifests/" + IMAGE.digest()));
        assertDenied(client().delete("/v2/" + REPO + "/blobs/" + LAYER.digest()));

        HttpResponse<byte[]> manifest = client().get("/v2/" + REPO + "/manifests/1.0", "Accept", IMAGE.mediaType());
        assertStatus(200, manifest);
        assertArrayEquals(IMAGE.bytes(), manifest.body());
        assertArrayEquals(LAYER.bytes(), client().get("/v2/" + REPO + "/blobs/" + LAYER.digest()).body());
    }

    @Test
    void aManifestPushWaitingFor100Continue_isRefusedWithoutAskingForTheBody() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("PUT", "/v2/" + REPO + "/manifests/3.0", "Content-Length",
                    Integer.toString(IMAGE.bytes().length), "Expect", "100-continue",
                    "Content-Type", IMAGE.mediaType()));
            RawResponse refused = c.read();
            assertError(refused, 403, "DENIED");
        }
        assertError(client().get("/v2/" + REPO + "/manifests/3.0"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void aLayerUploadWaitingFor100Continue_isRefusedWithoutAskingForTheBody() throws IOException {
        byte[] content = TestContent.bytes(75, 100_000);
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + TestContent.digest(content),
                    "Content-Length", Integer.toString(content.length), "Expect", "100-continue"));
            assertError(c.read(), 403, "DENIED");
        }
    }

    @Test
    void pushesIntoLocalProjects_stillWork() {
        client().pushImage("team/other", "1.0", 76);
    }

    private static void assertDenied(HttpResponse<byte[]> response) {
        JsonNode error = assertError(response, 403, "DENIED");
        assertTrue(error.get("message").asText().contains("'hub' is a proxy of its upstream registry"),
                error.toString());
    }

    private static long uploadSessions() {
        return SERVER.registry().transactions().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM upload")
                .mapTo(Long.class).one());
    }

    private static V2Client client() {
        return SERVER.client();
    }
}
