package io.berth.admin.cli;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.export.SiteInventory;
import io.berth.store.upstream.LocalDistribution;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.UpstreamWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code berth export|inventory|verify} run as the command line would, against a CNCF Distribution
 * holding pushed images: what they write and print, and the status they exit with.
 */
class ExportCommandsTest {
    private static final byte[] BASE_LAYER = random(32 * 1024, 7);

    @TempDir
    static Path dir;
    static LocalDistribution registry;
    static String url;
    static String host;

    @TempDir
    Path out;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalDistribution.start(Files.createDirectories(dir.resolve("registry")), false, 1);
        url = registry.url().toString();
        host = registry.url().getHost() + ":" + registry.url().getPort();
        push("team/app", "1.0", 1);
        push("team/app", "1.1", 2);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    @Test
    void export_writesBundleAndSidecar_printsADoneLinePerImage_andTheSummary() throws Exception {
        ExportCommandLine.Run run = ExportCommandLine.run("export", "--registry", url, "team/app:1.0",
                "team/app:/^1\\.1$/", "-o", out.resolve("b.tar").toString());

        assertEquals(0, run.status(), run.toString());
        Path bundle = out.resolve("b.tar");
        Path sidecar = out.resolve("b.tar.berth-bundle.json");
        assertTrue(Files.isRegularFile(bundle) && Files.isRegularFile(sidecar), run.toString());
        String sha256 = Digest.sha256(Files.readAllBytes(bundle)).toString();
        assertEquals(sha256, BundleDescriptor.read(sidecar).bundle().sha256());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("done " + host + "/team/app:1.0: ")), run.toString());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("done " + host + "/team/app:1.1: ")), run.toString());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("exported 2 images \\(2 manifests, 5 blobs, .*\\) in .*")),
                run.toString());
        assertTrue(run.out().contains("bundle:  " + bundle.toAbsolutePath() + "  ") && run.out().contains(sha256),
                run.toString());
        assertTrue(run.out().contains("sidecar: " + sidecar.toAbsolutePath()), run.toString());
        assertEquals("", run.err());
    }

    @Test
    void export_withAnImageListAndSplit_writesPartsAndNamesEachInTheSummary() throws Exception {
        Files.writeString(out.resolve("images.txt"), "# the release\nteam/app:~1.0\n");

        ExportCommandLine.Run run = ExportCommandLine.run("export", "--registry", url, "--images",
                out.resolve("images.txt").toString(), "--split", "40K", "-o", out.resolve("s.tar").toString());

        assertEquals(0, run.status(), run.toString());
        assertTrue(Files.exists(out.resolve("s.tar.000")) && Files.exists(out.resolve("s.tar.001")), run.toString());
        assertFalse(Files.exists(out.resolve("s.tar")));
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("part:    " + out.resolve("s.tar.000").toAbsolutePath())),
                run.toString());
        assertTrue(run.out().contains(" parts (cat them for the tar)"), run.toString());
    }

    @Test
    void inventory_writesTheJson_andADeltaAgainstItLeavesOutWhatItLists() throws Exception {
        Path inventoryFile = out.resolve("inv.json");
        ExportCommandLine.Run inventory = ExportCommandLine.run("inventory", "--registry", url, "team/app", "-o",
                inventoryFile.toString());

        assertEquals(0, inventory.status(), inventory.toString());
        SiteInventory read = SiteInventory.read(inventoryFile);
        assertTrue(read.tags().containsKey("team/app:1.0") && read.tags().containsKey("team/app:1.1"), read.toString());
        assertTrue(inventory.out().startsWith("inventory of " + host + ": 1 repositories, "), inventory.toString());
        assertTrue(inventory.out().contains("written: " + inventoryFile.toAbsolutePath() + "  " + read.digest()),
                inventory.toString());

        ExportCommandLine.Run delta = ExportCommandLine.run("export", "--registry", url, "--inventory",
                inventoryFile.toString(), "team/app:1.0", "-o", out.resolve("d.tar").toString());
        assertEquals(0, delta.status(), delta.toString());
        assertTrue(delta.out().contains("delta: left out 1 manifests and 3 blobs"), delta.toString());
        assertTrue(delta.out().lines().anyMatch(l -> l.equals("done " + host + "/team/app:1.0: no bytes of its own")),
                "an image with nothing to carry is done too: " + delta);
    }

    @Test
    void verify_saysPresent_thenAfterTheTagMoves_saysDifferent_andExits1() throws Exception {
        push("verify/app", "2.0", 20);
        Path bundle = out.resolve("v.tar");
        assertEquals(0, ExportCommandLine.run("export", "--registry", url, "verify/app:2.0", "-o", bundle.toString())
                .status());

        ExportCommandLine.Run present = ExportCommandLine.run("verify", "--registry", url, bundle.toString());
        assertEquals(0, present.status(), present.toString());
        assertEquals("verify/app:2.0: present\n1 present, 0 missing, 0 different, of 1 images in the bundle\n",
                present.out());

        Digest moved = push("verify/app", "2.0", 21);
        ExportCommandLine.Run different = ExportCommandLine.run("verify", "--registry", url,
                out.resolve("v.tar.berth-bundle.json").toString());
        assertEquals(1, different.status(), different.toString());
        assertTrue(different.out().startsWith("verify/app:2.0: points at " + moved + ", the bundle has "),
                different.toString());
        assertTrue(different.err().startsWith("berth: " + url + " does not hold everything the bundle carried (0 missing,"
                + " 1 different)"), different.toString());

        ExportCommandLine.Run missing = ExportCommandLine.run("verify", "--registry", url, "--project", "elsewhere",
                bundle.toString());
        assertEquals(1, missing.status(), missing.toString());
        assertTrue(missing.out().startsWith("elsewhere/app:2.0: missing"), missing.toString());
    }

    @Test
    void aSelectorThatCannotBeRead_exits2_withOneLineSayingHowToWriteOne() {
        ExportCommandLine.Run run = ExportCommandLine.run("export", "--registry", url, "Team/App:", "-o",
                out.resolve("x.tar").toString());

        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().startsWith("berth: the image selector 'Team/App:' cannot be read"), run.toString());
        assertEquals(1, run.err().lines().count(), "one line, no stack trace: " + run);
    }

    @Test
    void usageErrors_exit2_failuresExit1_eachWithOneLine() {
        ExportCommandLine.Run noFolder = ExportCommandLine.run("export", "--registry", url, "team/app:1.0", "-o",
                out.resolve("missing/b.tar").toString());
        assertEquals(2, noFolder.status(), noFolder.toString());
        assertTrue(noFolder.err().startsWith("berth: the folder " + out.resolve("missing") + " does not exist"),
                noFolder.toString());

        ExportCommandLine.Run badSplit = ExportCommandLine.run("export", "--registry", url, "team/app:1.0", "--split",
                "lots", "-o", out.resolve("b.tar").toString());
        assertEquals(2, badSplit.status(), badSplit.toString());
        assertTrue(badSplit.err().startsWith("berth: 'lots' is not a size"), badSplit.toString());

        ExportCommandLine.Run noRegistry = ExportCommandLine.run("inventory", "-o", out.resolve("i.json").toString());
        assertEquals(2, noRegistry.status(), noRegistry.toString());

        ExportCommandLine.Run noBundle = ExportCommandLine.run("verify", "--registry", url,
                out.resolve("none.tar").toString());
        assertEquals(2, noBundle.status(), noBundle.toString());
        assertTrue(noBundle.err().startsWith("berth: the bundle " + out.resolve("none.tar") + " does not exist"),
                noBundle.toString());

        ExportCommandLine.Run unreachable = ExportCommandLine.run("export", "--registry", "http://127.0.0.1:1",
                "team/app:1.0", "-o", out.resolve("b.tar").toString());
        assertEquals(1, unreachable.status(), unreachable.toString());
        assertTrue(unreachable.err().startsWith("berth: cannot reach the registry at http://127.0.0.1:1 "),
                unreachable.toString());
        assertEquals(1, unreachable.err().lines().count(), unreachable.toString());

        ExportCommandLine.Run noTag = ExportCommandLine.run("export", "--registry", url, "team/app:~7.0", "-o",
                out.resolve("b.tar").toString());
        assertEquals(1, noTag.status(), noTag.toString());
        assertTrue(noTag.err().startsWith("berth: ") && noTag.err().contains("team/app:~7.0"), noTag.toString());
        assertFalse(Files.exists(out.resolve("b.tar")), "a failed export leaves no bundle");
    }

    /** Pushes an image of the shared base layer and a layer of its own, tagged; its manifest's digest. */
    private static Digest push(String repository, String tag, long seed) throws Exception {
        UpstreamWriter writer = registry.client().writer();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                + "\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = random(16 * 1024, seed);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", blob(writer, repository, config))
                + ",\"layers\":[" + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", blob(writer, repository,
                BASE_LAYER)) + "," + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", blob(writer, repository,
                layer)) + "]}";
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        writer.putManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json", bytes);
        return Digest.sha256(bytes);
    }

    private static String descriptor(String mediaType, byte[] blob) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256(blob) + "\",\"size\":" + blob.length
                + "}";
    }

    private static byte[] blob(UpstreamWriter writer, String repository, byte[] bytes) throws Exception {
        writer.pushBlob(repository, Digest.sha256(bytes), bytes.length, offset -> new ByteArrayInputStream(bytes,
                (int) offset, bytes.length - (int) offset), PushOptions.defaults());
        return bytes;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
