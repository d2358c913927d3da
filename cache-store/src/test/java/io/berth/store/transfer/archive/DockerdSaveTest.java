package io.berth.store.transfer.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.testing.LocalDockerd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docker save} of a real daemon (started by the test, images made offline with
 * {@code docker import}, the classic builder, and {@code docker load} of a
 * fixture with an empty layer): every image is found by its tag, its manifest's
 * config digest is the image ID docker reports, and every blob hashes to its digest. Daemons
 * before 25 write the legacy format (repeated layers as symlinks), 25 and later the OCI-flavoured one.
 */
class DockerdSaveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void dockerSaveOfFourImages_readsWithTheImageIdsDockerReports() throws IOException {
        try (LocalDockerd docker = LocalDockerd.start()) {
            Path root = dir.resolve("root.tar");
            Files.write(root, TestTar.of("etc/hello", "hello\n"));
            docker.ok("import", root.toString(), "test/one:1.0");
            docker.ok("import", "-m", "the same layer again", "-c", "ENV X=1", root.toString(), "test/two:2.0");
            Path context = Files.createDirectories(dir.resolve("context"));
            Files.writeString(context.resolve("f"), "from the build context\n");
            Files.writeString(context.resolve("Dockerfile"), "FROM test/one:1.0\nCOPY f /f\n");
            docker.ok("build", "-q", "-t", "localhost:5000/team/three:3", context.toString());
            // an image with an empty layer, which neither import nor the classic builder makes without a runtime
            Path fixture = dir.resolve("fixture");
            DockerSaveFixtures.writeLegacy(fixture, List.of(DockerSaveFixtures.image("test/four:4",
                    List.of(TestTar.of("etc/four", "4\n"), DockerSaveFixtures.emptyLayer()))));
            TestTar.ofDirectory(fixture, dir.resolve("fixture.tar"));
            docker.ok("load", "-i", dir.resolve("fixture.tar").toString());
            Map<String, String> ids = Map.of(
                    "docker.io/test/four:4", docker.ok("image", "inspect", "--format", "{{.Id}}", "test/four:4"),
                    "docker.io/test/one:1.0", docker.ok("image", "inspect", "--format", "{{.Id}}", "test/one:1.0"),
                    "docker.io/test/two:2.0", docker.ok("image", "inspect", "--format", "{{.Id}}", "test/two:2.0"),
                    "localhost:5000/team/three:3", docker.ok("image", "inspect", "--format", "{{.Id}}",
                            "localhost:5000/team/three:3"));
            Path saved = dir.resolve("save.tar");
            docker.ok("save", "-o", saved.toString(), "test/one:1.0", "test/two:2.0", "localhost:5000/team/three:3",
                    "test/four:4");
            String version = docker.ok("version", "--format", "{{.Server.Version}}");
            System.out.println("dockerd " + version + " saved " + Files.size(saved) + " bytes");

            try (ArchiveContent archive = ArchiveFormats.open(saved)) {
                int major = Integer.parseInt(version.split("\\.")[0]);
                assertEquals(major >= 25 ? ArchiveFormat.DOCKER_SAVE_OCI : ArchiveFormat.DOCKER_SAVE_LEGACY, archive.format());
                assertEquals(4, archive.images().size(), archive.images().toString());
                for (Map.Entry<String, String> expected : ids.entrySet()) {
                    ArchiveImage image = archive.images().stream().filter(i -> i.names().contains(expected.getKey()))
                            .findFirst().orElseThrow(() -> new AssertionError(expected.getKey() + " not in " + archive.images()));
                    JsonNode manifest;
                    try (InputStream in = archive.open(image.digest())) {
                        manifest = JSON.readTree(in);
                    }
                    assertEquals(expected.getValue(), manifest.path("config").path("digest").asText(), expected.getKey());
                }
                ArchiveTesting.assertEveryDigestMatches(archive);
                assertTrue(archive.digests().contains(EmptyLayers.EMPTY_TAR), "the loaded image's empty layer");
                            }
        }
    }
}
