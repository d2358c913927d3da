package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An air gap between two real Berths (each its own port and data), crossed with the CLI as a user
 * does: {@code berth export} from A, {@code berth import} into B, {@code berth verify}; the bundle
 * read by skopeo and by containerd's {@code ctr import}; then a delta cut against B's
 * {@code berth inventory}. The steps build on each other and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AirGapBundleIT {
    @RegisterExtension
    static final BerthProcess siteA = new BerthProcess("airgap-a");
    @RegisterExtension
    static final BerthProcess siteB = new BerthProcess("airgap-b");

    private static final List<String> NAMES = List.of("multi", "signed", "large");

    private static Path work;
    private static Skopeo skopeo;
    private static ReplicationImages images;
    private static Path bundle;

    @BeforeAll
    static void pushIntoA() throws IOException {
        work = E2e.tempDir("airgap-bundle");
        skopeo = Skopeo.require(work);
        images = ReplicationImages.write(work.resolve("layout"), 3L << 20);
        AdminCalls.call(siteA, "POST", "/api/v1/projects", "{\"name\":\"site\"}", 201);
        AdminCalls.call(siteB, "POST", "/api/v1/projects", "{\"name\":\"site\"}", 201);
        images.push(skopeo, RegistrySite.of(siteA, "site A"), "site");
        bundle = work.resolve("bundle.tar");
    }

    @AfterAll
    static void cleanUp() {
        E2e.deleteTree(work);
    }

    @Test
    @Order(1)
    void exportFromA_importIntoB_everyDigestEqual_referrersAndIndexWhole() {
        List<String> refs = NAMES.stream().map(n -> "site/" + n + ":v1").toList();
        List<String> export = new ArrayList<>(List.of("--referrers", "-o", bundle.toString()));
        export.addAll(refs);
        BerthCli.ok(BerthCli.at(siteA, "export", export.toArray(String[]::new)));

        String imported = BerthCli.ok(BerthCli.at(siteB, "import", bundle.toString())).stdout();
        assertTrue(imported.contains("3 images imported"), imported);

        for (String name : NAMES) {
            V2Client.Manifest atA = siteA.v2().manifest("site/" + name, "v1");
            V2Client.Manifest atB = siteB.v2().manifest("site/" + name, "v1");
            assertEquals(200, atB.status(), name);
            assertEquals(atA.digest(), atB.digest(), name + ": the same digest on both sides");
        }
        for (TestImages.Image child : images.multi.images()) {
            assertEquals(child.manifestDigest(), siteB.v2().manifest("site/multi", child.manifestDigest()).digest(),
                    "every platform of the index came along");
            child.layerDigests().forEach(layer -> siteB.v2().assertBlob("site/multi", layer));
        }
        JsonNode referrers = siteB.v2().json("/v2/site/signed/referrers/" + images.signed.manifestDigest());
        List<String> found = new ArrayList<>();
        referrers.path("manifests").forEach(m -> found.add(m.path("digest").asText()));
        for (ReplicationImages.Referrer r : images.referrers) {
            assertTrue(found.contains(r.artifact().manifestDigest()), "referrer " + r.artifactType() + " at B: " + found);
        }

        String verified = BerthCli.ok(BerthCli.at(siteB, "verify", bundle.toString())).stdout();
        assertTrue(verified.contains(" 0 missing, 0 different"), verified);
        assertFalse(verified.contains("[cds]"), "no JVM notes in the command's output: " + verified);
    }

    @Test
    @Order(2)
    void skopeoAndContainerd_readTheBundle() throws IOException {
        String reference = siteA.hostPort() + "/site/signed:v1";
        Path copied = work.resolve("signed-dir");
        skopeo.ok("copy", "oci-archive:" + bundle + ":" + reference, "dir:" + copied);
        assertEquals(images.signed.manifestDigest(), E2e.sha256(copied.resolve("manifest.json")));

        try (Containerd containerd = Containerd.start(E2e.logDir().resolve("airgap-containerd.log"))) {
            containerd.ok("images", "import", "--all-platforms", bundle.toString());
            String listed = containerd.ok("images", "ls").stdout();
            for (String name : NAMES) {
                assertTrue(listed.contains(siteA.hostPort() + "/site/" + name + ":v1"), listed);
            }
            assertTrue(listed.contains(images.multi.indexDigest()), "the index by its own digest: " + listed);
        }
    }

    @Test
    @Order(3)
    void verify_failsWhenATagIsMissingOrPointsElsewhere() {
        AdminCalls.call(siteB, "POST", "/api/v1/projects", "{\"name\":\"other\"}", 201);
        Proc.Result other = BerthCli.run(BerthCli.at(siteB, "verify", "--project", "other", bundle.toString()));
        assertEquals(1, other.exitCode(), other.describe());

        images.pushTag(skopeo, RegistrySite.of(siteB, "site B"), "signed", "site/large:v1");
        Proc.Result moved = BerthCli.run(BerthCli.at(siteB, "verify", bundle.toString()));
        assertEquals(1, moved.exitCode(), moved.describe());
        assertTrue(moved.stdout().contains("site/large:v1"), moved.describe());
        images.pushTag(skopeo, RegistrySite.of(siteB, "site B"), "large", "site/large:v1");
        BerthCli.ok(BerthCli.at(siteB, "verify", bundle.toString()));
    }

    @Test
    @Order(4)
    void delta_holdsOnlyWhatBLacks_andImportsCleanly() throws IOException {
        RegistrySite a = RegistrySite.of(siteA, "site A");
        TestImages.Image added = images.pushSmall(a, "site/signed", "v2", 901);
        Path inventory = work.resolve("b-inventory.json");
        BerthCli.ok(BerthCli.at(siteB, "inventory", "-o", inventory.toString()));

        Path delta = work.resolve("delta.tar");
        BerthCli.ok(BerthCli.at(siteA, "export", "--inventory", inventory.toString(), "-o", delta.toString(),
                "site/signed:v1", "site/signed:v2", "site/multi:v1"));
        List<String> blobs = TarListing.blobs(delta);
        List<String> expected = new ArrayList<>(List.of(added.manifestDigest(), added.configDigest()));
        expected.addAll(added.layerDigests());
        assertEquals(expected.stream().sorted().toList(), blobs.stream().sorted().toList(),
                "only the new image's manifest, config and layer; everything else B holds");

        BerthCli.ok(BerthCli.at(siteB, "import", delta.toString()));
        assertEquals(added.manifestDigest(), siteB.v2().manifest("site/signed", "v2").digest());
        assertNotEquals(0, siteB.v2().manifest("site/signed", "v1").bytes().length);
    }

    @Test
    @Order(5)
    void splitBundle_aTruncatedOrMissingPart_failsTheImport_andTagsNothing() throws IOException {
        Path split = work.resolve("split.tar");
        BerthCli.ok(BerthCli.at(siteA, "export", "--split", "1M", "-o", split.toString(), "site/large:v1"));
        Path last = lastPart(split);
        AdminCalls.call(siteB, "POST", "/api/v1/projects", "{\"name\":\"split\"}", 201);

        long size = Files.size(last);
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(last.toFile(), "rw")) {
            file.setLength(size / 2);
        }
        Proc.Result truncated = BerthCli.run(BerthCli.at(siteB, "import", "--project", "split", split + ".000"));
        assertNotEquals(0, truncated.exitCode(), truncated.describe());
        assertEquals(404, siteB.v2().manifest("split/large", "v1").status(), "nothing tagged: " + truncated.describe());

        Files.delete(last);
        Proc.Result missing = BerthCli.run(BerthCli.at(siteB, "import", "--project", "split", split + ".000"));
        assertNotEquals(0, missing.exitCode(), missing.describe());
        assertEquals(404, siteB.v2().manifest("split/large", "v1").status(), "nothing tagged: " + missing.describe());
    }

    /** The highest-numbered part of a split bundle ({@code NAME.000}, {@code NAME.001}, …); there are several. */
    private static Path lastPart(Path bundle) throws IOException {
        List<Path> parts;
        try (var listing = Files.list(bundle.getParent())) {
            parts = listing.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(
                    bundle.getFileName().toString()) + "\\.\\d{3}")).sorted().toList();
        }
        assertTrue(parts.size() >= 3, "a 3 MiB image in 1 MiB parts: " + parts);
        return parts.getLast();
    }
}
