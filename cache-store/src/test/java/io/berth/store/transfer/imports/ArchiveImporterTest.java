package io.berth.store.transfer.imports;

import io.berth.store.oci.Digest;
import io.berth.store.testing.TestImages;
import io.berth.store.transfer.archive.ArchiveContent;
import io.berth.store.transfer.archive.ArchiveFormats;
import io.berth.store.transfer.imports.ImportResult.ImageResult;
import io.berth.store.transfer.imports.ImportResult.Status;
import io.berth.store.upstream.LocalDistribution;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imports into a real CNCF Distribution (2.8: no referrers API, so referrers get their fallback tag):
 * an OCI layout with a two-platform index, its SBOM and a single image; a legacy docker save; damaged
 * and delta archives. Each test imports into its own project, so they share one registry.
 */
class ArchiveImporterTest {
    private static final String HOST = "registry.example:5000";

    @TempDir
    static Path registryDir;
    static LocalDistribution registry;
    static RegistryClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalDistribution.start(registryDir, false, 1);
        client = registry.client();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    private static ImportResult importInto(Path archivePath, ImportRequest request) throws Exception {
        return importInto(archivePath, request, ImportListener.NONE);
    }

    private static ImportResult importInto(Path archivePath, ImportRequest request, ImportListener listener)
            throws Exception {
        try (ArchiveContent archive = ArchiveFormats.open(archivePath)) {
            return new ArchiveImporter(client, client.writer(), registry.url().getAuthority(), PushOptions.defaults())
                    .importArchive(archive, request, listener);
        }
    }

    /** Whether {@code repository} has {@code digest} as a blob or a manifest (Distribution keeps them apart). */
    private static boolean held(String repository, Digest digest) throws Exception {
        return client.headBlob(repository, digest).isPresent()
                || client.headManifest(repository, digest.toString()).isPresent();
    }

    private static Digest tagged(String repository, String tag) throws Exception {
        return client.headManifest(repository, tag).map(h -> h.digest()).orElse(null);
    }

    @Test
    void importLayout_everyDigestTaggedAndReferrerFound_thenRerunPushesNoBlob() throws Exception {
        ImportLayouts.Bundle bundle = ImportLayouts.bundle(dir.resolve("layout"), HOST);
        List<ImportListener.Progress> progress = new ArrayList<>();
        ImportResult first = importInto(bundle.dir(), ImportRequest.defaults().withProject("one"), new ImportListener() {
            @Override
            public void progress(Progress p) {
                progress.add(p);
            }
        });

        assertFalse(first.failed(), first.toString());
        assertEquals(List.of(Status.IMPORTED, Status.IMPORTED), first.images().stream().map(ImageResult::status).toList());
        for (Digest digest : bundle.digests()) {
            assertTrue(held("one/app", digest) || held("one/tool", digest), digest + " is at the registry");
        }
        assertEquals(Digest.parse(bundle.index().indexDigest()), tagged("one/app", "1.0"));
        assertEquals(Digest.parse(bundle.single().manifestDigest()), tagged("one/tool", "2.1"));
        assertTrue(client.headManifest("one/app", bundle.sbom().manifestDigest()).isPresent(), "the referrer is there");
        assertEquals(bundle.fallbackIndex(), tagged("one/app", "sha256-" + bundle.index().indexDigest().substring(7)),
                "its fallback tag lists it");
        assertTrue(first.bytesSent() > 100_000);
        ImportListener.Progress last = progress.getLast();
        assertEquals(last.total(), last.done(), "progress ends at the total");

        ImportResult again = importInto(bundle.dir(), ImportRequest.defaults().withProject("one"));
        assertEquals(List.of(Status.PRESENT, Status.PRESENT), again.images().stream().map(ImageResult::status).toList());
        assertEquals(0, again.images().stream().mapToInt(ImageResult::blobsPushed).sum(), "a re-run pushes no blob");
        assertEquals(0, again.bytesSent());
    }

    @Test
    void importLayoutTar_sameAsFolder() throws Exception {
        ImportLayouts.Bundle bundle = ImportLayouts.bundle(dir.resolve("layout"), HOST);
        Path tar = dir.resolve("bundle.tar");
        new ProcessBuilder("tar", "-C", bundle.dir().toString(), "-cf", tar.toString(), ".").inheritIO().start().waitFor();

        ImportResult result = importInto(tar, ImportRequest.defaults().withProject("tarred"));

        assertFalse(result.failed(), result.toString());
        assertEquals(Digest.parse(bundle.index().indexDigest()), tagged("tarred/app", "1.0"));
        assertTrue(client.headManifest("tarred/app", bundle.sbom().manifestDigest()).isPresent());
    }

    @Test
    void flippedByteInALayer_failsThatImageNamingTheBlob_otherImportedWithKeepGoing() throws Exception {
        ImportLayouts.Bundle bundle = ImportLayouts.bundle(dir.resolve("layout"), HOST);
        String layer = bundle.index().images().get(1).layerDigests().get(1);
        ImportLayouts.flipByte(bundle.dir(), layer);

        ImportResult kept = importInto(bundle.dir(), ImportRequest.defaults().withProject("flip").keepingGoing(true));

        assertTrue(kept.failed());
        ImageResult app = kept.images().get(0);
        assertEquals(Status.FAILED, app.status());
        assertTrue(app.message().contains(layer) && app.message().contains(HOST + "/team/app:1.0"), app.message());
        assertEquals(null, tagged("flip/app", "1.0"), "nothing tagged for the broken image");
        assertFalse(client.headBlob("flip/app", Digest.parse(layer)).isPresent(), "the corrupt blob was not committed");
        assertEquals(Status.IMPORTED, kept.images().get(1).status());
        assertEquals(Digest.parse(bundle.single().manifestDigest()), tagged("flip/tool", "2.1"));

        ImportResult stopped = importInto(bundle.dir(), ImportRequest.defaults().withProject("flipstop"));
        assertEquals(List.of(Status.FAILED, Status.NOT_TRIED), stopped.images().stream().map(ImageResult::status).toList());
        assertEquals(null, tagged("flipstop/tool", "2.1"), "without --keep-going the import stops at the failure");
    }

    @Test
    void truncatedBlob_failsNamingIt() throws Exception {
        ImportLayouts.Bundle bundle = ImportLayouts.bundle(dir.resolve("layout"), HOST);
        String layer = bundle.single().layerDigests().getFirst();
        Path file = TestImages.blobPath(bundle.dir(), layer);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));

        ImportResult result = importInto(bundle.dir(), ImportRequest.defaults().withProject("trunc").keepingGoing(true));

        assertEquals(Status.IMPORTED, result.images().get(0).status());
        ImageResult tool = result.images().get(1);
        assertEquals(Status.FAILED, tool.status());
        assertTrue(tool.message().contains(layer) && tool.message().contains("team/tool:2.1"), tool.message());
        assertEquals(null, tagged("trunc/tool", "2.1"));
    }

    @Test
    void delta_missingBlobAbsentAtTarget_failsNamingIt_presentAtTarget_imports() throws Exception {
        ImportLayouts.Bundle bundle = ImportLayouts.bundle(dir.resolve("layout"), HOST);
        String layer = bundle.single().layerDigests().getFirst();
        Files.delete(TestImages.blobPath(bundle.dir(), layer));

        ImportResult absent = importInto(bundle.dir(), ImportRequest.defaults().withProject("delta").keepingGoing(true));
        ImageResult tool = absent.images().get(1);
        assertEquals(Status.FAILED, tool.status());
        assertTrue(tool.message().contains(layer) && tool.message().contains("does not hold"), tool.message());
        assertEquals(null, tagged("delta/tool", "2.1"));

        byte[] held = Files.readAllBytes(TestImages.blobPath(ImportLayouts.bundle(dir.resolve("full"), HOST).dir(), layer));
        client.writer().pushBlob("delta2/tool", Digest.parse(layer), held.length,
                offset -> new java.io.ByteArrayInputStream(held, (int) offset, held.length - (int) offset),
                PushOptions.defaults());
        ImportResult present = importInto(bundle.dir(), ImportRequest.defaults().withProject("delta2"));
        assertFalse(present.failed(), present.toString());
        assertEquals(Digest.parse(bundle.single().manifestDigest()), tagged("delta2/tool", "2.1"));
    }

    @Test
    void legacyDockerSave_keepsTheConfigDigestThatIsTheImageId() throws Exception {
        Random random = new Random(5);
        byte[] one = new byte[10_240];
        byte[] two = new byte[20_480];
        random.nextBytes(one);
        random.nextBytes(two);
        Digest imageId = ImportLayouts.legacyDockerSave(dir.resolve("save"), "legacy/app:3.0", List.of(one, two));

        ImportResult result = importInto(dir.resolve("save"), ImportRequest.defaults());

        assertFalse(result.failed(), result.toString());
        assertEquals(List.of(new Target("legacy/app", "3.0")), result.images().getFirst().targets());
        var manifest = client.getManifest("legacy/app", "3.0", 1 << 20).orElseThrow();
        String json = new String(manifest.bytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains(imageId.toString()), json);
        assertTrue(client.headBlob("legacy/app", imageId).isPresent());
        assertTrue(client.headBlob("legacy/app", Digest.sha256(two)).isPresent(), "layers as they were, uncompressed");
    }

    @Test
    void dryRun_saysWhatWouldBePushed_pushesNothing() throws Exception {
        ImportLayouts.Bundle bundle = ImportLayouts.bundle(dir.resolve("layout"), HOST);

        ImportResult result = importInto(bundle.dir(), ImportRequest.defaults().withProject("dry").dryRun(true));

        assertFalse(result.failed(), result.toString());
        assertTrue(result.dryRun());
        assertTrue(result.images().get(0).blobsPushed() > 0);
        assertEquals(0, result.bytesSent());
        for (Digest digest : bundle.digests()) {
            assertFalse(held("dry/app", digest) || held("dry/tool", digest), digest + " was not pushed");
        }
        assertEquals(null, tagged("dry/app", "1.0"));
    }

    @Test
    void imageWithoutRepository_failsAskingForName_thenImportsUnderIt() throws Exception {
        Path layout = dir.resolve("bare");
        TestImages.Image image = TestImages.singleArch(layout, "7.0", 21, 1, 5_000, "amd64");

        ImportResult unnamed = importInto(layout, ImportRequest.defaults());
        assertEquals(Status.FAILED, unnamed.images().getFirst().status());
        assertTrue(unnamed.images().getFirst().message().contains("--name"), unnamed.images().getFirst().message());

        ImportResult named = importInto(layout, ImportRequest.defaults().withName("given/name"));
        assertFalse(named.failed(), named.toString());
        assertEquals(Digest.parse(image.manifestDigest()), tagged("given/name", "7.0"));
    }
}
