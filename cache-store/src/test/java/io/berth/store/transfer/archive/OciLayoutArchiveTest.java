package io.berth.store.transfer.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OciLayoutArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void layoutFolderAndItsTar_listTheImagesWithNamesDigestsAndMediaTypes() throws IOException {
        Path layout = dir.resolve("layout");
        TestImages.Image single = TestImages.singleArch(layout, "1.0", 7, 2, 40_000, "amd64");
        TestImages.Index multi = TestImages.multiArch(layout, "multi", 8, List.of("amd64", "arm64"), 20_000);
        annotateContainerdName(layout, 1, "registry.example:5000/team/app:multi");
        Path tar = dir.resolve("layout.tar");
        TestTar.ofDirectory(layout, tar);
        for (Path source : List.of(layout, tar)) {
            try (ArchiveContent archive = ArchiveFormats.open(source)) {
                assertEquals(ArchiveFormat.OCI_LAYOUT, archive.format());
                assertEquals(List.of(Digest.parse(single.manifestDigest()), Digest.parse(multi.indexDigest())),
                        archive.images().stream().map(ArchiveImage::digest).toList());
                assertEquals(List.of(List.of("1.0"), List.of("registry.example:5000/team/app:multi")),
                        archive.images().stream().map(ArchiveImage::names).toList());
                assertEquals(MediaTypes.OCI_INDEX, archive.images().get(1).mediaType());
                assertEquals(multi.indexSize(), archive.images().get(1).size());
                TestImages.Image arm = multi.images().get(1);
                assertEquals(MediaTypes.OCI_MANIFEST, archive.entry(Digest.parse(arm.manifestDigest())).orElseThrow().mediaType(),
                        "the children of a nested index are known with their media type");
                assertEquals(TestImages.OCI_LAYER_GZIP,
                        archive.entry(Digest.parse(arm.layerDigests().get(1))).orElseThrow().mediaType());
                assertEquals(TestImages.OCI_CONFIG, archive.entry(Digest.parse(single.configDigest())).orElseThrow().mediaType());
                assertEquals(4 + 1 + 2 * 4, archive.digests().size(), "manifest, config, 2 layers; index and two such images");
                ArchiveTesting.assertEveryDigestMatches(archive);
            }
        }
    }

    @Test
    void aLayoutLackingBlobs_asADeltaBundleDoes_listsItsImagesAndHoldsTheRest() throws IOException {
        Path layout = dir.resolve("layout");
        TestImages.Image image = TestImages.singleArch(layout, "1.0", 9, 2, 10_000, "amd64");
        Digest omitted = Digest.parse(image.layerDigests().get(0));
        Files.delete(TestImages.blobPath(layout, omitted.toString()));
        try (ArchiveContent archive = ArchiveFormats.open(layout)) {
            assertEquals(Digest.parse(image.manifestDigest()), archive.images().get(0).digest());
            assertFalse(archive.digests().contains(omitted));
            assertTrue(archive.entry(omitted).isEmpty());
            ArchiveException e = assertThrows(ArchiveException.class, () -> archive.open(omitted));
            assertTrue(e.getMessage().contains(omitted.toString()) && e.getMessage().contains("delta"), e.getMessage());
            ArchiveTesting.assertEveryDigestMatches(archive);
        }
    }

    @Test
    void aManifestOver4MiB_isRefusedWithItsName() throws IOException {
        Path layout = dir.resolve("layout");
        TestImages.Image image = TestImages.singleArch(layout, "1.0", 10, 1, 1000, "amd64");
        Path manifest = TestImages.blobPath(layout, image.manifestDigest());
        Files.write(manifest, new byte[(4 << 20) + 1]);
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveFormats.open(layout));
        assertTrue(e.getMessage().contains(image.manifestDigest()) && e.getMessage().contains("4 MiB"), e.getMessage());
    }

    @Test
    void somethingThatIsNoImageArchive_isRefusedSayingWhatWouldDo() throws IOException {
        Path tar = dir.resolve("files.tar");
        Files.write(tar, TestTar.of("readme.txt", "hello"));
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveFormats.open(tar));
        assertTrue(e.getMessage().contains(tar.toString()) && e.getMessage().contains("readme.txt")
                && e.getMessage().contains("docker save"), e.getMessage());
        ArchiveException missing = assertThrows(ArchiveException.class, () -> ArchiveFormats.open(dir.resolve("nope.tar")));
        assertTrue(missing.getMessage().contains("nope.tar"), missing.getMessage());
    }

    /** Gives index.json's entry {@code position} an {@code io.containerd.image.name}, as Berth's bundles and docker do. */
    private static void annotateContainerdName(Path layout, int position, String name) throws IOException {
        ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        ObjectNode entry = (ObjectNode) index.path("manifests").get(position);
        entry.withObjectProperty("annotations").put("io.containerd.image.name", name);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
    }
}
