package io.berth.store.transfer.imports;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.archive.ArchiveContent;
import io.berth.store.transfer.archive.ArchiveFormats;
import io.berth.store.transfer.export.BundleExporter;
import io.berth.store.transfer.export.ExportListener;
import io.berth.store.transfer.export.ExportRequest;
import io.berth.store.transfer.export.ImageSelector;
import io.berth.store.transfer.export.SourceRegistry;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bundle written by {@link BundleExporter} from one Distribution (a split one, with referrers),
 * imported into a second: every digest equal, the referrer and its fallback tag there; an import
 * stopped half-way by a damaged part continues, once the bundle is whole, without re-sending.
 */
class ExportImportRoundTripTest {
    @TempDir
    static Path sourceDir;
    @TempDir
    static Path targetDir;
    static LocalDistribution source;
    static LocalDistribution target;
    static ImportLayouts.Bundle layout;

    @TempDir
    Path dir;

    @BeforeAll
    static void fillTheSource(@TempDir Path layoutDir) throws Exception {
        source = LocalDistribution.start(sourceDir, false, 1);
        target = LocalDistribution.start(targetDir, false, 2);
        layout = ImportLayouts.bundle(layoutDir, "example.org");
        try (ArchiveContent archive = ArchiveFormats.open(layoutDir)) {
            ImportResult loaded = importer(source.client()).importArchive(archive, ImportRequest.defaults(),
                    ImportListener.NONE);
            assertFalse(loaded.failed(), loaded.toString());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
        target.close();
    }

    private static ArchiveImporter importer(RegistryClient client) {
        return new ArchiveImporter(client, client.writer(), client.endpoint().urls().getFirst().getAuthority(),
                PushOptions.defaults());
    }

    private List<Path> export(String name) throws Exception {
        ExportRequest request = ExportRequest.of(List.of(ImageSelector.parse("team/app:1.0"),
                ImageSelector.parse("team/tool:2.1")), dir.resolve(name)).withReferrers(true).withSplit(64 * 1024);
        return new BundleExporter(SourceRegistry.of(source.client())).export(request, ExportListener.NONE).files();
    }

    private static ImportResult importParts(List<Path> parts, String project) throws Exception {
        try (ArchiveContent archive = ArchiveFormats.open(parts)) {
            return importer(target.client()).importArchive(archive, ImportRequest.defaults().withProject(project),
                    ImportListener.NONE);
        }
    }

    @Test
    void exportedSplitBundle_importedIntoAnotherRegistry_sameDigestsAndReferrer() throws Exception {
        List<Path> parts = export("bundle.tar");
        assertTrue(parts.size() > 1, "split into parts: " + parts);

        ImportResult result = importParts(parts, "copy");

        assertFalse(result.failed(), result.toString());
        RegistryClient client = target.client();
        assertEquals(Digest.parse(layout.index().indexDigest()),
                client.headManifest("copy/app", "1.0").orElseThrow().digest());
        assertEquals(Digest.parse(layout.single().manifestDigest()),
                client.headManifest("copy/tool", "2.1").orElseThrow().digest());
        for (Digest d : layout.digests()) {
            boolean held = client.headBlob("copy/app", d).isPresent() || client.headBlob("copy/tool", d).isPresent()
                    || client.headManifest("copy/app", d.toString()).isPresent()
                    || client.headManifest("copy/tool", d.toString()).isPresent();
            assertTrue(held, d + " at the target");
        }
        assertTrue(client.headManifest("copy/app", "sha256-" + layout.index().indexDigest().substring(7)).isPresent(),
                "the referrer's fallback tag");
    }

    @Test
    void bundleWithADamagedBlob_importStops_thenTheWholeBundleContinuesWithoutResending() throws Exception {
        List<Path> parts = export("resume.tar");
        Path whole = dir.resolve("whole.tar");
        Files.deleteIfExists(whole);
        try (var out = Files.newOutputStream(whole)) {
            for (Path p : parts) {
                Files.copy(p, out);
            }
        }
        Path damaged = dir.resolve("damaged.tar");
        byte[] bytes = Files.readAllBytes(whole);
        String layer = layout.index().images().get(1).layerDigests().get(1);
        try (ArchiveContent archive = ArchiveFormats.open(whole)) {
            byte[] content = archive.open(Digest.parse(layer)).readAllBytes();
            int at = indexOf(bytes, content);
            bytes[at + content.length / 2] ^= 0x40;
        }
        Files.write(damaged, bytes);

        ImportResult stopped = importParts(List.of(damaged), "resume");
        assertEquals(Status.FAILED, stopped.images().getFirst().status());
        assertFalse(target.client().headManifest("resume/app", "1.0").isPresent(), "nothing tagged");
        assertTrue(stopped.images().getFirst().blobsPushed() > 0, "the stopped run had stored blobs before the damaged one");

        ImportResult resumed = importParts(List.of(whole), "resume");
        assertFalse(resumed.failed(), resumed.toString());
        ImageResult app = resumed.images().getFirst();
        assertTrue(app.blobsPresent() > 0, "blobs stored by the stopped run are not sent again: " + app);
        assertTrue(target.client().headManifest("resume/app", "1.0").isPresent());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("blob not found in the tar");
    }
}
