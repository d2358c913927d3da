package io.berth.store.transfer.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.testing.Requirements;
import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Archives written by a real skopeo: {@code dir:} (one image and {@code --all}), {@code docker-archive:}, {@code oci-archive:}. */
class SkopeoArchivesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void skopeoDir_ofOneImageAndOfAMultiArchIndex_holdsTheSourceDigests() throws IOException {
        Path layout = dir.resolve("layout");
        TestImages.Image single = TestImages.singleArch(layout, "1.0", 21, 2, 30_000, "amd64");
        TestImages.Index multi = TestImages.multiArch(layout, "multi", 22, List.of("amd64", "arm64"), 20_000);
        skopeo("copy", "oci:" + layout + ":1.0", "dir:" + dir.resolve("one"));
        skopeo("copy", "--all", "oci:" + layout + ":multi", "dir:" + dir.resolve("all"));
        try (ArchiveContent archive = ArchiveFormats.open(dir.resolve("one"))) {
            assertEquals(ArchiveFormat.SKOPEO_DIR, archive.format());
            ArchiveImage image = archive.images().get(0);
            assertEquals(Digest.parse(single.manifestDigest()), image.digest());
            assertEquals(List.of(), image.names(), "a dir: names no reference");
            assertEquals(TestImages.OCI_LAYER_GZIP,
                    archive.entry(Digest.parse(single.layerDigests().get(0))).orElseThrow().mediaType());
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
        try (ArchiveContent archive = ArchiveFormats.open(dir.resolve("all"))) {
            assertEquals(Digest.parse(multi.indexDigest()), archive.images().get(0).digest());
            assertEquals(MediaTypes.OCI_INDEX, archive.images().get(0).mediaType());
            for (TestImages.Image child : multi.images()) {
                assertEquals(MediaTypes.OCI_MANIFEST,
                        archive.entry(Digest.parse(child.manifestDigest())).orElseThrow().mediaType());
            }
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
    }

    @Test
    void skopeoDockerArchive_readsAsALegacyDockerSaveWithTheSameConfig() throws IOException {
        Path layout = dir.resolve("layout");
        TestImages.Image single = TestImages.singleArch(layout, "1.0", 23, 2, 30_000, "amd64");
        Path tar = dir.resolve("docker.tar");
        skopeo("copy", "oci:" + layout + ":1.0", "docker-archive:" + tar + ":team/app:1.0");
        try (ArchiveContent archive = ArchiveFormats.open(tar)) {
            assertEquals(ArchiveFormat.DOCKER_SAVE_LEGACY, archive.format());
            ArchiveImage image = archive.images().get(0);
            assertEquals(List.of("docker.io/team/app:1.0"), image.names());
            JsonNode manifest;
            try (InputStream in = archive.open(image.digest())) {
                manifest = JSON.readTree(in);
            }
            assertEquals(single.configDigest(), manifest.path("config").path("digest").asText());
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
    }

    @Test
    void skopeoOciArchive_readsAsAnOciLayoutTar() throws IOException {
        Path layout = dir.resolve("layout");
        TestImages.Image single = TestImages.singleArch(layout, "1.0", 24, 1, 30_000, "amd64");
        Path tar = dir.resolve("oci.tar");
        skopeo("copy", "oci:" + layout + ":1.0", "oci-archive:" + tar + ":team/app:1.0");
        try (ArchiveContent archive = ArchiveFormats.open(tar)) {
            assertEquals(ArchiveFormat.OCI_LAYOUT, archive.format());
            assertEquals(Digest.parse(single.manifestDigest()), archive.images().get(0).digest());
            assertEquals(List.of("team/app:1.0"), archive.images().get(0).names());
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
    }

    private static void skopeo(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Requirements.executable("skopeo"), "--insecure-policy"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
