package io.berth.store.transfer.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.transfer.archive.DockerSaveFixtures.Image;
import io.berth.store.transfer.archive.DockerSaveFixtures.Quirk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerSaveArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final Image one;
    private final Image two;

    DockerSaveArchiveTest() throws IOException {
        byte[] base = TestTar.of("etc/hello", "hello\n");
        one = DockerSaveFixtures.image("one:1.0", List.of(base));
        two = DockerSaveFixtures.image("team/two:2.0", List.of(base, TestTar.of("app/run", "#!/bin/sh\n"),
                DockerSaveFixtures.emptyLayer()));
    }

    @Test
    void legacySave_eachImageGetsADockerManifestWhoseConfigIsTheImageIdAndWhoseLayersAreTheTars() throws IOException {
        Path folder = dir.resolve("legacy");
        DockerSaveFixtures.writeLegacy(folder, List.of(one, two));
        Path tar = dir.resolve("legacy.tar");
        TestTar.ofDirectory(folder, tar);
        for (Path source : List.of(folder, tar)) {
            try (ArchiveContent archive = ArchiveFormats.open(source)) {
                assertEquals(ArchiveFormat.DOCKER_SAVE_LEGACY, archive.format());
                assertEquals(List.of(List.of("docker.io/library/one:1.0"), List.of("docker.io/team/two:2.0")),
                        archive.images().stream().map(ArchiveImage::names).toList());
                assertSynthesised(archive, archive.images().get(0), one);
                assertSynthesised(archive, archive.images().get(1), two);
                ArchiveTesting.assertEveryDigestMatches(archive);
            }
        }
        try (ArchiveContent first = ArchiveFormats.open(tar); ArchiveContent again = ArchiveFormats.open(folder)) {
            assertEquals(first.images(), again.images(), "the same archive always gives the same manifests");
        }
    }

    @Test
    void legacySave_aLayerTheManifestNamesIsMissing_failsNamingTheFileAndTheEntry() throws IOException {
        Path folder = dir.resolve("legacy");
        DockerSaveFixtures.writeLegacy(folder, List.of(one, two));
        JsonNode items = JSON.readTree(folder.resolve("manifest.json").toFile());
        String layer = items.get(1).path("Layers").get(1).asText();
        Files.delete(folder.resolve(layer));
        Path tar = dir.resolve("legacy.tar");
        TestTar.ofDirectory(folder, tar);
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveFormats.open(tar));
        assertTrue(e.getMessage().contains(layer) && e.getMessage().contains("entry 2 of manifest.json")
                && e.getMessage().contains(tar.toString()), e.getMessage());
    }

    @Test
    void docker25Save_theOciManifestsAreUsedAndNamedAsDockerNamesThem() throws IOException {
        List<Digest> manifests = DockerSaveFixtures.writeDocker25(dir.resolve("oci"), List.of(one, two));
        Path tar = dir.resolve("oci.tar");
        TestTar.ofDirectory(dir.resolve("oci"), tar);
        try (ArchiveContent archive = ArchiveFormats.open(tar)) {
            assertEquals(ArchiveFormat.DOCKER_SAVE_OCI, archive.format());
            assertEquals(manifests, archive.images().stream().map(ArchiveImage::digest).toList());
            assertEquals(List.of(List.of("docker.io/library/one:1.0"), List.of("docker.io/team/two:2.0")),
                    archive.images().stream().map(ArchiveImage::names).toList());
            assertEquals(MediaTypes.OCI_MANIFEST, archive.images().get(0).mediaType());
            assertEquals(DockerSaveFixtures.OCI_LAYER_TAR, archive.entry(two.diffIds().get(1)).orElseThrow().mediaType());
            assertEquals(DockerSaveFixtures.OCI_CONFIG, archive.entry(two.configDigest()).orElseThrow().mediaType());
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
    }

    @Test
    void docker25SaveFromTheContainerdStore_anIndexWithOnlyTheLocalPlatformSaved_isTheImage() throws IOException {
        List<Digest> indexes = DockerSaveFixtures.writeDocker25(dir.resolve("oci"), List.of(one, two),
                Quirk.PLATFORM_INDEX_PARTLY_SAVED);
        try (ArchiveContent archive = ArchiveFormats.open(dir.resolve("oci"))) {
            assertEquals(indexes, archive.images().stream().map(ArchiveImage::digest).toList());
            assertEquals(MediaTypes.OCI_INDEX, archive.images().get(1).mediaType());
            assertEquals(List.of("docker.io/team/two:2.0"), archive.images().get(1).names());
            assertEquals(DockerSaveFixtures.OCI_LAYER_TAR, archive.entry(two.diffIds().get(1)).orElseThrow().mediaType(),
                    "the saved platform's manifest is walked through the index");
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
    }

    @Test
    void docker25Save_withNullManifestsInIndexJson_fallsBackToManifestJson() throws IOException {
        DockerSaveFixtures.writeDocker25(dir.resolve("oci"), List.of(one, two), Quirk.NULL_MANIFESTS);
        try (ArchiveContent archive = ArchiveFormats.open(dir.resolve("oci"))) {
            assertEquals(2, archive.images().size());
            assertSynthesised(archive, archive.images().get(0), one);
            assertSynthesised(archive, archive.images().get(1), two);
            assertEquals(List.of("docker.io/team/two:2.0"), archive.images().get(1).names());
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
    }

    @Test
    void docker25Save_anImageDroppedFromIndexJson_isReadFromManifestJson() throws IOException {
        List<Digest> manifests = DockerSaveFixtures.writeDocker25(dir.resolve("oci"), List.of(one, two),
                Quirk.SECOND_DROPPED_FROM_INDEX);
        try (ArchiveContent archive = ArchiveFormats.open(dir.resolve("oci"))) {
            assertEquals(2, archive.images().size());
            assertEquals(manifests.get(0), archive.images().get(0).digest());
            assertSynthesised(archive, archive.images().get(1), two);
            assertEquals(List.of("docker.io/team/two:2.0"), archive.images().get(1).names());
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
    }

    @Test
    void docker25Save_manifestsListingNoLayers_areReplacedFromManifestJsonKeepingTheirNames() throws IOException {
        DockerSaveFixtures.writeDocker25(dir.resolve("oci"), List.of(one, two), Quirk.MANIFESTS_WITHOUT_LAYERS);
        try (ArchiveContent archive = ArchiveFormats.open(dir.resolve("oci"))) {
            assertEquals(2, archive.images().size());
            assertSynthesised(archive, archive.images().get(0), one);
            assertSynthesised(archive, archive.images().get(1), two);
            assertEquals(List.of("docker.io/library/one:1.0"), archive.images().get(0).names());
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
    }

    @Test
    void docker25Save_anEmptyLayerWrittenAsZeroBytes_isServedAsTheEmptyTarItsDigestNames() throws IOException {
        DockerSaveFixtures.writeDocker25(dir.resolve("oci"), List.of(one, two), Quirk.EMPTY_LAYER_AS_ZERO_BYTES);
        Path tar = dir.resolve("oci.tar");
        TestTar.ofDirectory(dir.resolve("oci"), tar);
        try (ArchiveContent archive = ArchiveFormats.open(tar)) {
            assertEquals(1024, archive.entry(EmptyLayers.EMPTY_TAR).orElseThrow().size());
            assertEquals(EmptyLayers.EMPTY_TAR, ArchiveTesting.hashOf(archive, EmptyLayers.EMPTY_TAR));
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
    }

    /** The image's manifest is the synthesised Docker one: config = the image ID, layers = the tars by diff ID. */
    static void assertSynthesised(ArchiveContent archive, ArchiveImage image, Image expected) throws IOException {
        assertEquals(MediaTypes.DOCKER_MANIFEST, image.mediaType());
        JsonNode manifest;
        try (InputStream in = archive.open(image.digest())) {
            manifest = JSON.readTree(in);
        }
        assertEquals(expected.configDigest().toString(), manifest.path("config").path("digest").asText());
        assertEquals(LegacyManifest.CONFIG_TYPE, manifest.path("config").path("mediaType").asText());
        List<String> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            assertEquals(LegacyManifest.LAYER_TYPE, layer.path("mediaType").asText());
            layers.add(layer.path("digest").asText());
        }
        assertEquals(expected.diffIds().stream().map(Digest::toString).toList(), layers);
        assertEquals(image.size(), archive.entry(image.digest()).orElseThrow().size());
    }
}
