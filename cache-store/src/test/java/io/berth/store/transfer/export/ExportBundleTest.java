package io.berth.store.transfer.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.oci.Digest;
import io.berth.store.testing.Requirements;
import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.export.TestImages.Pushed;
import io.berth.store.upstream.LocalDistribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bundles exported from a real CNCF Distribution (2.8: no referrers API, so referrers travel through
 * the fallback tag): a two-platform index with a referrer and a single-platform image that share a
 * base layer.
 */
class ExportBundleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant CREATED = Instant.parse("2025-01-02T03:04:05Z");

    @TempDir
    static Path registryDir;
    static LocalDistribution registry;
    static SourceRegistry source;
    static Pushed amd;
    static Pushed arm;
    static Pushed index;
    static Pushed sbom;
    static Pushed tool;

    @TempDir
    Path out;

    @BeforeAll
    static void pushImages() throws Exception {
        registry = LocalDistribution.start(registryDir, false, 1);
        source = SourceRegistry.of(registry.client());
        TestImages images = new TestImages(registry.client());
        amd = images.image("team/app", null, "linux/amd64", 1, true, 64 * 1024);
        arm = images.image("team/app", null, "linux/arm64", 2, true, 64 * 1024);
        index = images.index("team/app", "1.0", List.of(amd, arm), List.of("linux/amd64", "linux/arm64"));
        sbom = images.referrer("team/app", index);
        tool = images.image("team/tool", "2.1", "linux/amd64", 3, true, 32 * 1024);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    private BundleExporter.Result export(ExportRequest request) throws Exception {
        return new BundleExporter(source).export(request, ExportListener.NONE);
    }

    private ExportRequest both(String name) {
        return ExportRequest.of(List.of(ImageSelector.parse("team/app:1.0"), ImageSelector.parse("team/tool:/^2\\./")),
                out.resolve(name)).at(CREATED);
    }

    @Test
    void export_indexImageAndReferrer_layoutFilesFirstManifestsBeforeBlobsEachBlobOnce() throws Exception {
        List<ExportListener.Progress> progress = new ArrayList<>();
        BundleExporter.Result result = new BundleExporter(source).export(both("bundle.tar").withReferrers(true),
                new ExportListener() {
                    @Override
                    public void progress(Progress p) {
                        progress.add(p);
                    }
                });
        Path bundle = out.resolve("bundle.tar");
        TarEntries.Listing tar = TarEntries.read(bundle);

        assertEquals(List.of("oci-layout", "index.json", "berth-bundle.json"), tar.names().subList(0, 3));
        assertEquals(tar.names().size(), new HashSet<>(tar.names()).size(), "every entry once: " + tar.names());
        for (Map.Entry<String, byte[]> file : tar.files().entrySet()) {
            if (file.getKey().startsWith("blobs/")) {
                assertEquals(file.getKey().substring("blobs/sha256/".length()), Digest.sha256(file.getValue()).hex());
            }
        }
        Set<Digest> expected = new HashSet<>();
        for (Pushed p : List.of(amd, arm, sbom, tool)) {
            expected.add(p.digest());
            expected.addAll(p.blobs());
        }
        expected.add(index.digest());
        Set<Digest> held = new HashSet<>();
        tar.files().keySet().stream().filter(n -> n.startsWith("blobs/")).forEach(n -> held.add(Digest.parse(
                "sha256:" + n.substring("blobs/sha256/".length()))));
        assertTrue(held.containsAll(expected), "the bundle holds every manifest and blob");
        assertTrue(held.contains(Digest.sha256(TestImages.BASE_LAYER)));
        assertEquals(expected.size() + 1, held.size(), "and the fallback tag's index besides");
        int lastManifest = tar.names().indexOf("blobs/sha256/" + tool.digest().hex());
        int firstLayer = tar.names().indexOf("blobs/sha256/" + Digest.sha256(TestImages.BASE_LAYER).hex());
        assertTrue(lastManifest < firstLayer, "manifests come before blobs");

        JsonNode layoutIndex = JSON.readTree(tar.files().get("index.json"));
        assertEquals(2, layoutIndex.path("manifests").size());
        JsonNode first = layoutIndex.path("manifests").get(0);
        assertEquals(index.digest().toString(), first.path("digest").asText());
        assertEquals(source.host() + "/team/app:1.0", first.path("annotations").path("org.opencontainers.image.ref.name")
                .asText(), "the full reference: a bare tag would be ambiguous across repositories");
        assertEquals(source.host() + "/team/app:1.0", first.path("annotations").path("io.containerd.image.name").asText());
        assertTrue(layoutIndex.path("manifests").get(1).path("annotations")
                .path("org.opencontainers.image.ref.name").asText().endsWith(":2.1"));

        BundleDescriptor inside = BundleDescriptor.read(new java.io.ByteArrayInputStream(tar.files()
                .get("berth-bundle.json")), "inside");
        BundleDescriptor.Image app = inside.images().getFirst();
        assertEquals(List.of("linux/amd64", "linux/arm64"), app.platforms());
        assertEquals(sbom.digest().toString(), app.referrers().getFirst().digest());
        assertEquals(Set.of("sha256-" + index.digest().hex()), app.fallbackTags().keySet());
        assertEquals(null, inside.bundle());

        BundleDescriptor sidecar = BundleDescriptor.read(result.sidecar());
        assertEquals(Digest.sha256(Files.readAllBytes(bundle)).toString(), sidecar.bundle().sha256());
        assertEquals(Files.size(bundle), sidecar.bundle().size());
        assertEquals(inside.images(), BundleHead.read(bundle).images());
        ExportListener.Progress last = progress.getLast();
        assertEquals(last.total(), last.done());
        assertEquals(inside.content().bytes(), last.total());
        assertEquals(List.of(bundle.toAbsolutePath()), result.files());
        Requirements.findOnPath("tar").ifPresent(tarTool -> assertEquals(0, run(List.of(tarTool, "-tf",
                bundle.toString())), "GNU tar reads the bundle"));
    }

    @Test
    void platformFilter_keepsTheIndexWholeButOnlyTheSelectedChild() throws Exception {
        export(both("arm.tar").withPlatforms(PlatformFilter.parse(List.of("linux/arm64"))));
        TarEntries.Listing tar = TarEntries.read(out.resolve("arm.tar"));
        assertTrue(tar.names().contains("blobs/sha256/" + index.digest().hex()));
        assertTrue(tar.names().contains("blobs/sha256/" + arm.digest().hex()));
        assertFalse(tar.names().contains("blobs/sha256/" + amd.digest().hex()));
        assertFalse(tar.names().contains("blobs/sha256/" + amd.blobs().getLast().hex()));
        assertTrue(tar.names().contains("blobs/sha256/" + tool.digest().hex()), "a single-platform image is kept");
        BundleDescriptor d = BundleHead.read(out.resolve("arm.tar"));
        assertEquals(List.of("linux/arm64"), d.platforms());
        assertEquals(List.of(false, true), d.images().getFirst().children().stream()
                .map(BundleDescriptor.Child::selected).toList());
    }

    @Test
    void split_partsConcatenateToTheUnsplitBundle() throws Exception {
        export(both("whole.tar"));
        BundleExporter.Result split = export(both("cut.tar").withSplit(ByteSize.parse("64K")));
        byte[] whole = Files.readAllBytes(out.resolve("whole.tar"));
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (Path part : split.files()) {
            assertTrue(Files.size(part) <= 64 * 1024);
            joined.write(Files.readAllBytes(part));
        }
        assertTrue(split.files().size() > 2, "cut into several parts: " + split.files());
        assertEquals("cut.tar.000", split.files().getFirst().getFileName().toString());
        assertTrue(java.util.Arrays.equals(whole, joined.toByteArray()), "cat of the parts is the whole tar");
        BundleDescriptor sidecar = BundleDescriptor.read(split.sidecar());
        assertEquals(split.files().size(), sidecar.bundle().parts().size());
        assertEquals(Digest.sha256(whole).toString(), sidecar.bundle().sha256());
        assertEquals(Digest.sha256(Files.readAllBytes(split.files().get(1))).toString(),
                sidecar.bundle().parts().get(1).sha256());
        assertEquals(BundleHead.read(out.resolve("whole.tar")).images(), BundleHead.read(split.files().getFirst()).images());
    }

    @Test
    void skopeo_copiesImagesOutOfTheBundle() throws Exception {
        String skopeo = Requirements.executable("skopeo");
        Path bundle = out.resolve("bundle.tar");
        export(both("bundle.tar").withReferrers(true));
        Path toolDir = out.resolve("tool");
        assertEquals(0, run(List.of(skopeo, "--insecure-policy", "copy", "oci-archive:" + bundle + ":" + source.host() + "/team/tool:2.1",
                "dir:" + toolDir)));
        assertEquals(tool.digest(), Digest.sha256(Files.readAllBytes(toolDir.resolve("manifest.json"))));
        Path armDir = out.resolve("arm");
        assertEquals(0, run(List.of(skopeo, "--insecure-policy", "--override-os", "linux", "--override-arch", "arm64",
                "copy", "oci-archive:" + bundle + ":" + source.host() + "/team/app:1.0", "dir:" + armDir)));
        assertEquals(arm.digest(), Digest.sha256(Files.readAllBytes(armDir.resolve("manifest.json"))));
        assertTrue(Files.exists(armDir.resolve(Digest.sha256(TestImages.BASE_LAYER).hex())));
    }

    private int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            int status = p.waitFor();
            if (status != 0) {
                System.out.println(String.join(" ", command) + " failed:\n" + output);
            }
            return status;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
