package io.berth.admin.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain and the terminal progress displays, on a clock the test moves. */
class ProgressDisplayTest {
    private static final long MIB = 1024 * 1024;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void seconds(long s) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void plainLines_oneLinePerImageDone_andAnOverallLineAtMostEveryFiveSeconds() {
        ProgressLines lines = new ProgressLines(out, clock::get);
        lines.start(40 * MIB, 2);
        lines.imageStarted("r/a:1", 10 * MIB);
        seconds(1);
        lines.imageAdvanced("r/a:1", 5 * MIB);
        assertEquals("", printed(), "no overall line within five seconds");
        seconds(1);
        lines.imageAdvanced("r/a:1", 10 * MIB);
        lines.imageDone("r/a:1");
        lines.imageDone("r/a:1");
        assertEquals("done r/a:1: 10.0 MiB in 2.0s (5.0 MiB/s)\n", printed(), "once per image");
        lines.imageStarted("r/b:1", 30 * MIB);
        seconds(3);
        lines.imageAdvanced("r/b:1", 10 * MIB);
        assertTrue(printed().endsWith("progress: 20.0 MiB of 40.0 MiB (50%), 1 of 2 images done, 4.0 MiB/s, ETA 5.0s\n"),
                printed());
        seconds(1);
        lines.imageAdvanced("r/b:1", 12 * MIB);
        lines.imageFailed("r/b:1", "blob sha256:abc is corrupt");
        lines.finish();
        assertTrue(printed().endsWith("(50%), 1 of 2 images done, 4.0 MiB/s, ETA 5.0s\nfailed r/b:1: blob sha256:abc is"
                + " corrupt\n"), printed());
    }

    @Test
    void terminalBars_drawImageAndOverall_keepDoneLinesAbove_andEraseThemselvesAtTheEnd() {
        ProgressBars bars = new ProgressBars(out, clock::get, 120);
        bars.start(20 * MIB, 2);
        bars.imageStarted("r/a:1", 10 * MIB);
        seconds(2);
        bars.imageAdvanced("r/a:1", 5 * MIB);
        String drawn = printed();
        assertTrue(drawn.contains("r/a:1") && drawn.contains("[==========>         ] 5.0 MiB / 10.0 MiB  2.5 MiB/s"
                + "  ETA 2.0s"), drawn);
        assertTrue(drawn.contains("total 0/2") && drawn.contains("5.0 MiB / 20.0 MiB  2.5 MiB/s  ETA 6.0s"), drawn);

        bars.imageAdvanced("r/a:1", 6 * MIB);
        assertEquals(drawn, printed(), "not redrawn more than ten times a second");

        seconds(1);
        bars.imageAdvanced("r/a:1", 10 * MIB);
        assertTrue(printed().substring(drawn.length()).startsWith("\r\033[2K\033[1A\r\033[2K"),
                "both bars erased, then redrawn in place: " + printed());
        bars.imageDone("r/a:1");
        assertTrue(printed().contains("done   r/a:1  10.0 MiB in 3.0s (3.3 MiB/s)\n"), printed());
        bars.note("a note");
        bars.finish();
        String end = printed();
        assertTrue(end.endsWith("a note\n" + end.substring(end.lastIndexOf("a note\n") + 7)), end);
        assertTrue(end.endsWith("\r\033[2K"), "the last bar is erased: " + end);
        int before = end.length();
        bars.imageAdvanced("r/b:1", MIB);
        assertEquals(before, printed().length(), "nothing is drawn after finish");
    }

    @Test
    void aTerminal_needsAConsole_andATermThatIsNotDumb() {
        assertFalse(ProgressDisplay.isTerminal(null, Map.of()));
        assertEquals(80, ProgressDisplay.columns(Map.of()));
        assertEquals(132, ProgressDisplay.columns(Map.of("COLUMNS", "132")));
        assertEquals(80, ProgressDisplay.columns(Map.of("COLUMNS", "wide")));
    }

    @Test
    void formats_sizesRatesDurationsAndBars() {
        assertEquals("512 B", ProgressFormat.bytes(512));
        assertEquals("1.5 KiB", ProgressFormat.bytes(1536));
        assertEquals("4.0 GiB", ProgressFormat.bytes(4L << 30));
        assertEquals("3m05s", ProgressFormat.duration(TimeUnit.SECONDS.toNanos(185)));
        assertEquals("2h07m", ProgressFormat.duration(TimeUnit.MINUTES.toNanos(127)));
        assertEquals("?", ProgressFormat.eta(0, 10, 1000));
        assertEquals("[=====>    ]", ProgressFormat.bar(5, 10, 10));
        assertEquals("[==========]", ProgressFormat.bar(10, 10, 10));
    }
}
