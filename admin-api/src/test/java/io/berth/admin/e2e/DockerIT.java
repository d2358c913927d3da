package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docker CLI and a private dockerd against the real server: load a docker-save tarball, tag,
 * push, remove, pull by tag and by digest, and save the pulled image to check that it round-trips.
 * The steps build on each other, so they run in order. Authentication is on: the CLI signs in with
 * {@code docker login --password-stdin} first (into the private dockerd's own DOCKER_CONFIG) and out
 * at the end; the checks over plain HTTP send Basic credentials directly, which /v2 routes accept.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("docker");

    private static final Pattern PUSHED = Pattern.compile("digest: (sha256:[0-9a-f]{64}) size: (\\d+)");

    private static Path work;
    private static Path layout;
    private static Dockerd docker;
    private static TestImages.Image image;
    private static String name;
    private static String pushedDigest;
    private static V2Client v2;

    @BeforeAll
    static void startDockerd() throws IOException {
        work = E2e.tempDir("docker");
        Skopeo skopeo = Skopeo.require(work);
        layout = work.resolve("layout");
        image = TestImages.singleArch(layout, "v1", 505, 3, 1024 * 1024, "amd64");
        // a `docker save`-format tarball of the image, made offline
        skopeo.ok("copy", "oci:" + layout + ":v1", "docker-archive:" + work.resolve("image.tar") + ":berth-e2e/app:v1");
        name = berth.hostPort() + "/docker/app";
        v2 = V2Client.withBasic(berth.registry(), BerthProcess.ADMIN_USER, berth.adminPassword());
        docker = Dockerd.start(berth.hostPort(), E2e.logDir().resolve("docker-dockerd.log"));
        String login = docker.login(berth.hostPort(), BerthProcess.ADMIN_USER, berth.adminPassword()).assertOk().stdout();
        assertTrue(login.contains("Login Succeeded"), login);
    }

    @AfterAll
    static void stopDockerd() {
        try {
            if (docker != null) {
                try {
                    docker.logout(berth.hostPort());
                } finally {
                    docker.close();
                }
            }
        } finally {
            E2e.deleteTree(work);
        }
    }

    @Test
    @Order(1)
    void loadTagAndPush() {
        String loaded = docker.ok("load", "-i", work.resolve("image.tar").toString()).stdout();
        assertTrue(loaded.contains("berth-e2e/app:v1"), loaded);
        assertEquals(image.configDigest(), imageId("berth-e2e/app:v1"), "docker's image id is the config digest");
        docker.ok("tag", "berth-e2e/app:v1", name + ":v1");

        String pushed = docker.ok("push", name + ":v1").stdout();
        Matcher m = PUSHED.matcher(pushed);
        assertTrue(m.find(), pushed);
        pushedDigest = m.group(1);

        V2Client.Manifest manifest = v2.manifest("docker/app", "v1");
        assertEquals(200, manifest.status());
        assertEquals(pushedDigest, manifest.digest());
        assertEquals(pushedDigest, E2e.sha256(manifest.bytes()));
        assertEquals(Long.parseLong(m.group(2)), manifest.bytes().length);
        assertEquals("application/vnd.docker.distribution.manifest.v2+json", manifest.mediaType());
        JsonNode json = V2Client.parse(manifest.bytes());
        assertEquals(image.configDigest(), json.path("config").path("digest").asText());
        v2.assertBlob("docker/app", image.configDigest());
        assertEquals(image.layerDigests().size(), json.path("layers").size());
        for (JsonNode layer : json.path("layers")) {
            v2.assertBlob("docker/app", layer.path("digest").asText());
        }
    }

    @Test
    @Order(2)
    void removeAndPullByTag() {
        assertNotNull(pushedDigest, "the push step must have run");
        removeLocalImages();
        String pulled = docker.ok("pull", name + ":v1").stdout();
        assertTrue(pulled.contains("Digest: " + pushedDigest), pulled);
        assertEquals(image.configDigest(), imageId(name + ":v1"));
        String repoDigests = docker.ok("image", "inspect", "--format", "{{json .RepoDigests}}", name + ":v1").stdout();
        assertTrue(repoDigests.contains(name + "@" + pushedDigest), repoDigests);
    }

    @Test
    @Order(3)
    void removeAndPullByDigest() {
        assertNotNull(pushedDigest, "the push step must have run");
        removeLocalImages();
        String ref = name + "@" + pushedDigest;
        String pulled = docker.ok("pull", ref).stdout();
        assertTrue(pulled.contains("Digest: " + pushedDigest), pulled);
        assertEquals(image.configDigest(), imageId(ref));
    }

    /** {@code docker save} of the pulled image holds the original config and layers with the original diff ids. */
    @Test
    @Order(4)
    void savedImageRoundTrips() throws IOException {
        assertNotNull(pushedDigest, "the push step must have run");
        removeLocalImages();
        docker.ok("pull", name + ":v1");
        Path saved = work.resolve("saved.tar");
        docker.ok("save", "-o", saved.toString(), name + ":v1");
        Path extracted = Files.createDirectories(work.resolve("saved"));
        Proc.ok(List.of("tar", "-xf", saved.toString(), "-C", extracted.toString()), java.util.Map.of());

        JsonNode entry = V2Client.parse(Files.readAllBytes(extracted.resolve("manifest.json"))).get(0);
        assertEquals(name + ":v1", entry.path("RepoTags").get(0).asText());
        byte[] originalConfig = Files.readAllBytes(TestImages.blobPath(layout, image.configDigest()));
        byte[] savedConfig = Files.readAllBytes(extracted.resolve(entry.path("Config").asText()));
        assertArrayEquals(originalConfig, savedConfig, "config bytes after push, pull and save");

        List<String> diffIds = new ArrayList<>();
        V2Client.parse(originalConfig).path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
        List<String> savedLayers = new ArrayList<>();
        for (JsonNode layer : entry.path("Layers")) {
            savedLayers.add(E2e.sha256(extracted.resolve(layer.asText())));
        }
        assertEquals(diffIds, savedLayers, "the saved layer tars are the original layers, uncompressed");
    }

    private void removeLocalImages() {
        for (String ref : List.of(name + ":v1", "berth-e2e/app:v1", name + "@" + pushedDigest)) {
            docker.run("rmi", "-f", ref);
        }
        assertFalse(docker.run("image", "inspect", image.configDigest()).ok(), "the image is gone before the pull");
        assertEquals("", docker.ok("images", "-q").stdout().trim());
    }

    private String imageId(String ref) {
        return docker.ok("image", "inspect", "--format", "{{.Id}}", ref).stdout().trim();
    }
}
