package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * podman against the real server, each podman with its own store (vfs) in a temp folder: an image
 * goes from an OCI layout into one store, is pushed, and is pulled by tag and by digest into empty stores.
 * Authentication is on: {@code podman login --password-stdin} first, into an auth file of this test's
 * own ({@code REGISTRY_AUTH_FILE}, so the host's is untouched), which every later podman reads.
 */
class PodmanIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("podman");

    private static Path work;
    private static Podman podman;
    private static TestImages.Image image;
    private static String imageId;
    private static String pushedDigest;
    private static String name;
    private static V2Client v2;

    @BeforeAll
    static void pushAnImage() throws IOException {
        work = E2e.tempDir("podman");
        podman = Podman.require(work);
        v2 = V2Client.withBasic(berth.registry(), BerthProcess.ADMIN_USER, berth.adminPassword());
        Path layout = work.resolve("layout");
        image = TestImages.singleArch(layout, "v1", 404, 3, 768 * 1024, "amd64");
        imageId = image.configDigest().substring("sha256:".length());
        name = berth.hostPort() + "/podman/app";

        String login = podman.login(berth.hostPort(), BerthProcess.ADMIN_USER, berth.adminPassword()).assertOk().stdout();
        assertTrue(login.contains("Login Succeeded"), login);
        podman("source", "pull", "oci:" + layout + ":v1");
        podman("source", "tag", imageId, name + ":v1");
        Path digestFile = work.resolve("pushed.digest");
        podman("source", "push", "--tls-verify=false", "--digestfile", digestFile.toString(), name + ":v1");
        pushedDigest = Files.readString(digestFile).trim();
    }

    @AfterAll
    static void cleanUp() {
        try {
            if (podman != null && Files.exists(podman.authFile())) {
                podman.logout(berth.hostPort());
            }
        } finally {
            if (podman != null) {
                podman.close();
            }
            E2e.deleteTree(work);
        }
    }

    /** Runs podman on the store named {@code store} (created under the work folder on first use). */
    private static Proc.Result podman(String store, String... args) {
        return podman.ok(store, args);
    }

    @Test
    void pushStoresTheImage() {
        V2Client.Manifest manifest = v2.manifest("podman/app", "v1");
        assertEquals(200, manifest.status());
        assertEquals(pushedDigest, manifest.digest(), "Docker-Content-Digest is what podman pushed");
        assertEquals(pushedDigest, E2e.sha256(manifest.bytes()));
        JsonNode json = V2Client.parse(manifest.bytes());
        // podman recompresses the layers it pushes from its store; the config (and so the image id) is unchanged
        assertEquals(image.configDigest(), json.path("config").path("digest").asText());
        v2.assertBlob("podman/app", image.configDigest());
        assertEquals(image.layerDigests().size(), json.path("layers").size());
        for (JsonNode layer : json.path("layers")) {
            v2.assertBlob("podman/app", layer.path("digest").asText());
        }
        JsonNode tags = v2.json("/v2/podman/app/tags/list").path("tags");
        assertEquals(1, tags.size());
        assertEquals("v1", tags.get(0).asText());
    }

    @Test
    void pullByTagIntoAnEmptyStore() {
        podman("bytag", "pull", "--tls-verify=false", name + ":v1");
        String inspected = podman("bytag", "image", "inspect", "--format", "{{.Id}} {{.Digest}}", name + ":v1").stdout().trim();
        assertEquals(imageId + " " + pushedDigest, inspected);
        assertRoundTrip("bytag", name + ":v1");
    }

    @Test
    void pullByDigestIntoAnEmptyStore() {
        String ref = name + "@" + pushedDigest;
        podman("bydigest", "pull", "--tls-verify=false", ref);
        String inspected = podman("bydigest", "image", "inspect", "--format", "{{.Id}} {{.Digest}}", ref).stdout().trim();
        assertEquals(imageId + " " + pushedDigest, inspected);
        assertRoundTrip("bydigest", ref);
    }

    /** The pulled image, saved as an OCI layout, has the original config and the same layer contents (diff ids). */
    private void assertRoundTrip(String store, String ref) {
        try {
            Path out = work.resolve("saved-" + store);
            podman(store, "save", "--format", "oci-dir", "-o", out.toString(), ref);
            JsonNode index = V2Client.parse(Files.readAllBytes(out.resolve("index.json")));
            String manifestDigest = index.path("manifests").get(0).path("digest").asText();
            JsonNode manifest = V2Client.parse(Files.readAllBytes(TestImages.blobPath(out, manifestDigest)));
            assertEquals(image.configDigest(), manifest.path("config").path("digest").asText());
            Path config = TestImages.blobPath(out, image.configDigest());
            assertArrayEquals(Files.readAllBytes(TestImages.blobPath(work.resolve("layout"), image.configDigest())),
                    Files.readAllBytes(config));
            for (JsonNode layer : manifest.path("layers")) {
                Path blob = TestImages.blobPath(out, layer.path("digest").asText());
                assertTrue(Files.isRegularFile(blob));
                assertEquals(layer.path("digest").asText(), E2e.sha256(blob));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
