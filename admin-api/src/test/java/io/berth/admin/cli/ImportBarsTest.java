package io.berth.admin.cli;

import io.berth.store.transfer.imports.ImportListener.Progress;
import io.berth.store.transfer.imports.ImportResult.ImageResult;
import io.berth.store.transfer.imports.ImportResult.Status;
import io.berth.store.transfer.imports.Target;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code berth import} on a terminal: bars per image and overall, the import's own lines above them. */
class ImportBarsTest {
    private static final long MIB = 1024 * 1024;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void barsShowBytesAndRate_linesSayWhatWasImported_andAFailureNamesItsBlob() {
        ImportBars bars = new ImportBars(new ProgressBars(out, clock::get, 120), false);
        List<Target> a = List.of(new Target("team/a", "1"));
        List<Target> b = List.of(new Target("team/b", "1"));

        bars.planned("bundle.tar", 2, 30 * MIB);
        bars.imageStarted("team/a:1", a, 10 * MIB);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
        bars.progress(new Progress("team/a:1", 5 * MIB, 10 * MIB, 5 * MIB, 30 * MIB, 5 * MIB));
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.contains("5.0 MiB / 10.0 MiB"), drawn);
        assertTrue(drawn.contains("5.0 MiB / 30.0 MiB"), "the overall bar: " + drawn);
        assertFalse(drawn.contains("0 B / 0 B"), "no empty bar before the plan is known: " + drawn);
        assertTrue(drawn.contains("MiB/s"), drawn);

        bars.progress(new Progress("team/a:1", 10 * MIB, 10 * MIB, 10 * MIB, 30 * MIB, 10 * MIB));
        bars.imageFinished(new ImageResult("team/a:1", a, Status.IMPORTED, 2, 0, 1, 1, 10 * MIB, null));
        bars.imageStarted("team/b:1", b, 20 * MIB);
        bars.imageFinished(new ImageResult("team/b:1", b, Status.FAILED, 0, 0, 0, 0, 0,
                "image team/b:1: blob sha256:abc is corrupt"));
        bars.finish();

        String all = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(all.contains("imported team/a:1: 2 blobs pushed, 0 present, 1 manifest, 1 tag"), all);
        assertTrue(all.contains("FAILED: image team/b:1: blob sha256:abc is corrupt"), all);
        assertFalse(all.contains("overall"), "the periodic overall lines are the bars' job: " + all);
    }
}
