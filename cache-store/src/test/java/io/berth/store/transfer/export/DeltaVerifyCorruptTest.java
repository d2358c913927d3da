package io.berth.store.transfer.export;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.export.BundleVerifier.Status;
import io.berth.store.transfer.export.TestImages.Pushed;
import io.berth.store.upstream.LocalDistribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delta bundles against an inventory, verification against a registry, and a source serving a corrupt blob. */
class DeltaVerifyCorruptTest {
    @TempDir
    static Path dir;
    static LocalDistribution registry;
    static SourceRegistry source;
    static TestImages images;

    @TempDir
    Path out;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalDistribution.start(Files.createDirectories(dir.resolve("source")), false, 1);
        source = SourceRegistry.of(registry.client());
        images = new TestImages(registry.client());
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    private BundleExporter.Result export(ExportRequest request) throws Exception {
        return new BundleExporter(source).export(request, ExportListener.NONE);
    }

    @Test
    void delta_againstAnInventory_holdsOnlyTheNewManifestAndBlobs_indexNamesEveryImage() throws Exception {
        Pushed v1 = images.image("delta/app", "v1", "linux/amd64", 10, true, 16 * 1024);
        SiteInventory taken = new InventoryTaker(source).take(List.of("delta/app"), r -> { });
        assertEquals(Set.of(v1.digest().toString()), Set.copyOf(taken.manifests()));
        assertEquals(v1.blobs().stream().map(Digest::toString).collect(Collectors.toSet()), Set.copyOf(taken.blobs()));
        SiteInventory written = taken.write(out.resolve("inv.json"));
        SiteInventory inventory = SiteInventory.read(out.resolve("inv.json"));
        assertEquals(written.digest(), inventory.digest());
        assertEquals(Digest.sha256(Files.readAllBytes(out.resolve("inv.json"))).toString(), inventory.digest());
        assertEquals(v1.digest().toString(), inventory.tags().get("delta/app:v1"));
        Pushed v2 = images.image("delta/app", "v2", "linux/amd64", 11, true, 16 * 1024);

        BundleExporter.Result result = export(ExportRequest.of(List.of(ImageSelector.parse("delta/app:/^v/")),
                out.resolve("delta.tar")).withInventory(inventory));

        TarEntries.Listing tar = TarEntries.read(out.resolve("delta.tar"));
        Set<String> held = tar.files().keySet().stream().filter(n -> n.startsWith("blobs/"))
                .map(n -> "sha256:" + n.substring("blobs/sha256/".length())).collect(Collectors.toSet());
        Set<String> fresh = Stream.concat(Stream.of(v2.digest()), v2.blobs().stream())
                .filter(d -> !v1.blobs().contains(d)).map(Digest::toString).collect(Collectors.toSet());
        assertEquals(fresh, held, "v2's manifest, config and own layer; not v1, not the shared base layer");
        assertTrue(new String(tar.files().get("index.json")).contains(v1.digest().toString()),
                "index.json still names every exported image");
        BundleDescriptor d = result.descriptor();
        assertEquals(inventory.digest(), d.delta().inventoryDigest());
        assertEquals(inventory.created(), d.delta().inventoryCreated());
        assertEquals(1, d.content().omittedManifests());
        assertEquals(3, d.content().omittedBlobs());
        assertEquals(List.of("v1", "v2"), d.images().stream().map(BundleDescriptor.Image::tag).toList());
    }

    @Test
    void corruptBlobAtTheSource_failsNamingImageAndBlob_leavesNoFile() throws Exception {
        Pushed bad = images.image("bad/app", "1", "linux/amd64", 20, false, 8 * 1024);
        Digest layer = bad.blobs().getLast();
        try (RandomAccessFile file = new RandomAccessFile(registry.blobFile(layer).toFile(), "rw")) {
            file.seek(100);
            int b = file.read();
            file.seek(100);
            file.write(b ^ 0xff);
        }
        ExportException e = assertThrows(ExportException.class, () -> export(ExportRequest.of(
                List.of(ImageSelector.parse("bad/app:1")), out.resolve("bad.tar"))));
        assertTrue(e.getMessage().contains("bad/app:1"), e.getMessage());
        assertTrue(e.getMessage().contains(layer.toString()) && e.getMessage().contains("corrupt"), e.getMessage());
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(), left.toList(), "no bundle, part, partial file or sidecar is left");
        }
    }

    @Test
    void verify_reportsAMissingTagAndADifferentOne() throws Exception {
        Pushed one = images.image("verify/one", "1.0", "linux/amd64", 30, true, 4096);
        Pushed two = images.image("verify/two", "1.0", "linux/amd64", 31, true, 4096);
        BundleExporter.Result exported = export(ExportRequest.of(List.of(ImageSelector.parse("verify/one:1.0"),
                ImageSelector.parse("verify/two:1.0")), out.resolve("v.tar")));
        assertTrue(new BundleVerifier(source, UnaryOperator.identity()).verify(exported.descriptor()).ok());

        try (LocalDistribution target = LocalDistribution.start(Files.createDirectories(out.resolve("target")), false, 2)) {
            TestImages there = new TestImages(target.client());
            there.image("verify/one", "1.0", "linux/amd64", 30, true, 4096);
            there.image("verify/two", "1.0", "linux/amd64", 99, true, 4096);
            there.image("verify/two", "0.9", "linux/amd64", 31, true, 4096);
            BundleVerifier.Report report = new BundleVerifier(SourceRegistry.of(target.client()),
                    UnaryOperator.identity()).verify(BundleHead.read(out.resolve("v.tar")));
            assertFalse(report.ok());
            assertEquals(List.of(Status.PRESENT, Status.DIFFERENT), report.findings().stream()
                    .map(BundleVerifier.Finding::status).toList());
            assertEquals(two.digest().toString(), report.problems().getFirst().expected());
        }
        try (LocalDistribution empty = LocalDistribution.start(Files.createDirectories(out.resolve("empty")), false, 3)) {
            BundleVerifier.Report report = new BundleVerifier(SourceRegistry.of(empty.client()),
                    UnaryOperator.identity()).verify(BundleDescriptor.read(exported.sidecar()));
            assertEquals(List.of("verify/one:1.0: missing (the bundle has " + one.digest() + ")",
                    "verify/two:1.0: missing (the bundle has " + two.digest() + ")"),
                    report.problems().stream().map(Object::toString).toList());
        }
    }

    @Test
    void aSelectorThatTakesNoTag_failsNamingItAndTheTags() throws Exception {
        images.image("none/app", "2.0", "linux/amd64", 40, false, 1024);
        ExportException e = assertThrows(ExportException.class, () -> export(ExportRequest.of(
                List.of(ImageSelector.parse("none/app:~1.2")), out.resolve("n.tar")).at(Instant.now())));
        assertTrue(e.getMessage().contains("none/app:~1.2") && e.getMessage().contains("2.0"), e.getMessage());
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(0, left.count());
        }
    }
}
