package io.berth.store.transfer.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.store.oci.Digest;
import io.berth.store.testing.TestImages;
import io.berth.store.transfer.BundleDescriptor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Archives for the import tests: an OCI layout with a two-platform index (with an SBOM referrer listed
 * in {@code berth-bundle.json}, and its fallback tag index) and a single image, named by full
 * references; and a legacy {@code docker save} folder.
 */
final class ImportLayouts {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@link #bundle} wrote: the index, the single image, the SBOM and its fallback tag's index. */
    record Bundle(Path dir, TestImages.Index index, TestImages.Image single, TestImages.Artifact sbom,
                  Digest fallbackIndex) {
        /** Every blob and manifest digest of both images and the referrer. */
        List<Digest> digests() {
            List<Digest> all = new ArrayList<>();
            for (TestImages.Image image : List.of(index.images().get(0), index.images().get(1), single)) {
                all.add(Digest.parse(image.manifestDigest()));
                all.add(Digest.parse(image.configDigest()));
                image.layerDigests().forEach(d -> all.add(Digest.parse(d)));
            }
            all.add(Digest.parse(index.indexDigest()));
            all.add(Digest.parse(sbom.manifestDigest()));
            all.add(Digest.parse(sbom.layerDigest()));
            all.add(Digest.parse(TestImages.EMPTY_DIGEST));
            return all;
        }
    }

    private ImportLayouts() {
    }

    /** An OCI layout in {@code dir}: {@code <host>/team/app:1.0} (an index) and {@code <host>/team/tool:2.1}. */
    static Bundle bundle(Path dir, String host) throws IOException {
        TestImages.Index index = TestImages.multiArch(dir, "1.0", 11, List.of("amd64", "arm64"), 20_000);
        TestImages.Image single = TestImages.singleArch(dir, "2.1", 12, 2, 30_000, "amd64");
        TestImages.Artifact sbom = TestImages.artifactWithSubject(dir, index.indexDigest(), index.indexSize(),
                TestImages.OCI_INDEX, "application/spdx+json", 13);
        byte[] fallback = ("{\"schemaVersion\":2,\"mediaType\":\"" + TestImages.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + TestImages.OCI_MANIFEST + "\",\"digest\":\"" + sbom.manifestDigest()
                + "\",\"size\":" + sbom.manifestSize() + ",\"artifactType\":\"application/spdx+json\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        Digest fallbackDigest = Digest.sha256(fallback);
        Files.write(TestImages.blobPath(dir, fallbackDigest.toString()), fallback);
        name(dir, 0, host + "/team/app:1.0");
        name(dir, 1, host + "/team/tool:2.1");
        String fallbackTag = "sha256-" + index.indexDigest().substring("sha256:".length());
        BundleDescriptor descriptor = new BundleDescriptor(BundleDescriptor.FORMAT, "2025-01-02T03:04:05Z", host,
                List.of(), true, null, List.of(
                new BundleDescriptor.Image(host + "/team/app:1.0", "team/app", "1.0", index.indexDigest(),
                        TestImages.OCI_INDEX, index.indexSize(), List.of(), List.of(),
                        List.of(new BundleDescriptor.Referrer(sbom.manifestDigest(), TestImages.OCI_MANIFEST,
                                sbom.manifestSize(), "application/spdx+json", index.indexDigest())),
                        Map.of(fallbackTag, fallbackDigest.toString()), 0),
                new BundleDescriptor.Image(host + "/team/tool:2.1", "team/tool", "2.1", single.manifestDigest(),
                        TestImages.OCI_MANIFEST, single.manifestSize(), List.of(), List.of(), List.of(), Map.of(), 0)),
                null, null);
        Files.write(dir.resolve(BundleDescriptor.ENTRY_NAME), descriptor.toJson());
        return new Bundle(dir, index, single, sbom, fallbackDigest);
    }

    /** Gives index.json's entry at {@code position} the full reference {@code name}. */
    static void name(Path layout, int position, String name) throws IOException {
        ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        ObjectNode entry = (ObjectNode) index.path("manifests").get(position);
        entry.withObjectProperty("annotations").put("io.containerd.image.name", name);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    /** Flips one byte in the middle of a blob file of a layout. */
    static void flipByte(Path layout, String digest) throws IOException {
        Path file = TestImages.blobPath(layout, digest);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
    }

    /**
     * A legacy {@code docker save} folder (docker before 25): {@code manifest.json}, the config as
     * {@code <id>.json}, each layer as {@code <n>/layer.tar}, tagged {@code repoTag}.
     *
     * @return the config's digest (the image ID)
     */
    static Digest legacyDockerSave(Path dir, String repoTag, List<byte[]> layerTars) throws IOException {
        Files.createDirectories(dir);
        StringBuilder diffIds = new StringBuilder();
        List<String> layerPaths = new ArrayList<>();
        for (int i = 0; i < layerTars.size(); i++) {
            Digest diff = Digest.sha256(layerTars.get(i));
            diffIds.append(i == 0 ? "" : ",").append('"').append(diff).append('"');
            Path layerDir = Files.createDirectories(dir.resolve("layer" + i));
            Files.write(layerDir.resolve("layer.tar"), layerTars.get(i));
            layerPaths.add("\"layer" + i + "/layer.tar\"");
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[" + diffIds + "]}}").getBytes(StandardCharsets.UTF_8);
        Digest id = Digest.sha256(config);
        Files.write(dir.resolve(id.hex() + ".json"), config);
        Files.writeString(dir.resolve("manifest.json"), "[{\"Config\":\"" + id.hex() + ".json\",\"RepoTags\":[\""
                + repoTag + "\"],\"Layers\":[" + String.join(",", layerPaths) + "]}]");
        return id;
    }
}
