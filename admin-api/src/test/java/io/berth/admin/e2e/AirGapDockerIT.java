package io.berth.admin.e2e;

import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docker save} tarballs into Berth with {@code berth import}, then {@code docker pull} from
 * Berth: the image IDs docker shows are the ones it saved. The images come into a private dockerd
 * offline ({@link TestImages} layouts, converted by skopeo to {@code docker load} input), and the
 * tarball is dockerd's own {@code docker save} of three of them at once (docker 20.10: the legacy
 * {@code manifest.json} format).
 */
class AirGapDockerIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("airgap-docker");

    private static final List<String> NAMES = List.of("one", "two", "three");

    private static Path work;
    private static Path layout;
    private static Skopeo skopeo;
    private static Dockerd docker;

    @BeforeAll
    static void startDockerd() {
        work = E2e.tempDir("airgap-docker");
        skopeo = Skopeo.require(work);
        layout = work.resolve("layout");
        docker = Dockerd.start(berth.hostPort(), E2e.logDir().resolve("airgap-dockerd.log"));
        docker.login(berth.hostPort(), BerthProcess.ADMIN_USER, berth.adminPassword()).assertOk();
        AdminCalls.call(berth, "POST", "/api/v1/projects", "{\"name\":\"saved\"}", 201);
    }

    @AfterAll
    static void stopDockerd() {
        try {
            if (docker != null) {
                docker.close();
            }
        } finally {
            E2e.deleteTree(work);
        }
    }

    @Test
    void dockerSaveOfThreeImages_importedIntoBerth_pullsBackWithTheSameImageIds() throws IOException {
        Map<String, String> ids = new LinkedHashMap<>();
        List<String> save = new ArrayList<>(List.of("save", "-o", work.resolve("all.tar").toString()));
        for (int i = 0; i < NAMES.size(); i++) {
            String name = NAMES.get(i);
            TestImages.singleArch(layout, name, 610 + i, 2, 64 * 1024, "amd64");
            Path single = work.resolve(name + ".tar");
            skopeo.ok("copy", "oci:" + layout + ":" + name, "docker-archive:" + single + ":airgap-e2e/" + name + ":v1");
            docker.ok("load", "-i", single.toString());
            ids.put(name, imageId("airgap-e2e/" + name + ":v1"));
            save.add("airgap-e2e/" + name + ":v1");
        }
        docker.ok(save.toArray(String[]::new));
        assertTrue(Files.exists(work.resolve("all.tar")));

        String out = BerthCli.ok(BerthCli.at(berth, "import", "--project", "saved",
                work.resolve("all.tar").toString())).stdout();
        assertTrue(out.contains("3 images imported"), out);

        for (String name : NAMES) {
            docker.ok("rmi", "airgap-e2e/" + name + ":v1");
        }
        for (String name : NAMES) {
            String pulled = berth.hostPort() + "/saved/" + name + ":v1";
            docker.ok("pull", pulled);
            assertEquals(ids.get(name), imageId(pulled), name + ": docker's image ID is the one it saved");
        }
    }

    /**
     * docker 25+ writes {@code docker save} as an OCI layout with docker's {@code manifest.json}
     * beside it. The dockerd here is 20.10, which cannot, so the tarball is put together the way
     * docker 25 lays it out: a real image's OCI layout, {@code index.json} entries annotated with
     * {@code io.containerd.image.name} (docker.io included) and a bare-tag ref.name, and a
     * {@code manifest.json} whose paths point into {@code blobs/}.
     */
    @Test
    void docker25StyleSave_importedIntoBerth_pullsBackWithTheSameImageId() throws IOException {
        Path dir = work.resolve("docker25");
        TestImages.Image image = TestImages.singleArch(dir, "v1", 620, 2, 48 * 1024, "amd64");
        String manifestJson = "[{\"Config\":\"" + blob(image.configDigest()) + "\",\"RepoTags\":[\"airgap-e2e/four:v1\"],"
                + "\"Layers\":[\"" + String.join("\",\"", image.layerDigests().stream().map(AirGapDockerIT::blob).toList())
                + "\"]}]";
        Files.writeString(dir.resolve("manifest.json"), manifestJson);
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"" + TestImages.OCI_INDEX
                + "\",\"manifests\":[{\"mediaType\":\"" + TestImages.OCI_MANIFEST + "\",\"digest\":\""
                + image.manifestDigest() + "\",\"size\":" + image.manifestSize() + ",\"annotations\":{"
                + "\"io.containerd.image.name\":\"docker.io/airgap-e2e/four:v1\","
                + "\"org.opencontainers.image.ref.name\":\"v1\"}}]}", StandardCharsets.UTF_8);
        Path tar = work.resolve("docker25.tar");
        Proc.ok(List.of("tar", "-C", dir.toString(), "-cf", tar.toString(), "."), Map.of());

        BerthCli.ok(BerthCli.at(berth, "import", "--project", "saved", tar.toString()));

        String pulled = berth.hostPort() + "/saved/four:v1";
        docker.ok("pull", pulled);
        assertEquals(image.configDigest(), imageId(pulled));
        assertEquals(image.manifestDigest(), berth.v2().manifest("saved/four", "v1").digest(), "stored byte-exact");
    }

    private static String blob(String digest) {
        return "blobs/sha256/" + digest.substring("sha256:".length());
    }

    private static String imageId(String reference) {
        return docker.ok("image", "inspect", "--format", "{{.Id}}", reference).stdout().strip();
    }
}
