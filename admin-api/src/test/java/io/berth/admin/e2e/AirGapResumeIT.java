package io.berth.admin.e2e;

import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code berth import} when things go wrong: the process killed half-way and run again (it goes on
 * from what the registry stored, and no tag is visible before everything under it is), and a
 * corrupt layer (the image fails naming the blob; nothing is tagged for it).
 */
class AirGapResumeIT {
    @RegisterExtension
    static final BerthProcess berth = new BerthProcess("airgap-resume");

    private static final int LAYERS = 8;

    private static Path work;

    @BeforeAll
    static void project() {
        work = E2e.tempDir("airgap-resume");
        AdminCalls.call(berth, "POST", "/api/v1/projects", "{\"name\":\"carried\"}", 201);
    }

    @AfterAll
    static void cleanUp() {
        E2e.deleteTree(work);
    }

    @Test
    void importKilledHalfWay_noTagMeanwhile_andTheRerunSendsOnlyWhatWasMissing() throws Exception {
        Path layout = work.resolve("big");
        TestImages.Image image = TestImages.singleArch(layout, "v1", 630, LAYERS, 48L << 20, "amd64");
        Path log = work.resolve("killed-import.log");
        Process first = BerthCli.start(log, BerthCli.at(berth, "import", "--name", "carried/big", layout.toString()));
        String firstLayerStored = awaitAnyLayer(first, image, log);
        Proc.killTree(first.toHandle(), Duration.ofSeconds(10));

        assertEquals(404, berth.v2().manifest("carried/big", "v1").status(),
                "no tag after the kill: " + firstLayerStored + " was stored, not all the image");
        long layersStored = image.layerDigests().stream().filter(d -> held("carried/big", d)).count();
        assertTrue(layersStored >= 1 && layersStored < LAYERS, layersStored + " of " + LAYERS + " layers stored when"
                + " the import was killed; the test needs it killed half-way:\n" + Files.readString(log));
        long stored = layersStored + (held("carried/big", image.configDigest()) ? 1 : 0);

        String again = BerthCli.ok(BerthCli.at(berth, "import", "--name", "carried/big", layout.toString())).stdout();
        assertTrue(again.contains((LAYERS + 1 - stored) + " blobs pushed, " + stored + " present"),
                "the re-run sends only the blobs not stored yet (" + stored + " were):\n" + again);
        assertEquals(image.manifestDigest(), berth.v2().manifest("carried/big", "v1").digest());
    }

    @Test
    void corruptLayer_failsTheImageNamingTheBlob_andTagsNothing() throws IOException {
        Path layout = work.resolve("corrupt");
        TestImages.Image image = TestImages.singleArch(layout, "v1", 640, 2, 256 * 1024, "amd64");
        String layer = image.layerDigests().get(1);
        try (RandomAccessFile file = new RandomAccessFile(TestImages.blobPath(layout, layer).toFile(), "rw")) {
            file.seek(100_000);
            int b = file.read();
            file.seek(100_000);
            file.write(b ^ 0x01);
        }

        Proc.Result r = BerthCli.run(BerthCli.at(berth, "import", "--name", "carried/corrupt", layout.toString()));

        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains(layer) && r.stdout().contains("corrupt"), r.describe());
        assertEquals(404, berth.v2().manifest("carried/corrupt", "v1").status(), "nothing tagged");
        assertFalse(held("carried/corrupt", layer), "the corrupt blob was not stored");
    }

    /** Waits until the import has stored at least one layer (the kill then lands half-way); its digest. */
    private static String awaitAnyLayer(Process importing, TestImages.Image image, Path log) throws IOException {
        Instant deadline = Instant.now().plus(BerthCli.START_WAIT);
        while (Instant.now().isBefore(deadline)) {
            for (String layer : image.layerDigests()) {
                if (held("carried/big", layer)) {
                    return layer;
                }
            }
            if (!importing.isAlive()) {
                throw new AssertionError("the import ended before any layer was seen stored:\n" + Files.readString(log));
            }
            sleepQuietly(20);
        }
        throw new AssertionError("no layer stored within " + BerthCli.START_WAIT + ":\n" + Files.readString(log));
    }

    /** Whether {@code HEAD} finds the blob in the repository. */
    private static boolean held(String repository, String digest) {
        V2Client v2 = berth.v2();
        return v2.send(v2.request("/v2/" + repository + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build()).statusCode() == 200;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
