package io.berth.admin.cli;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress bars on a terminal: a bar for the image moving now and one overall, each with bytes,
 * rate and ETA, redrawn in place with ANSI escapes (cursor up, erase line) at most
 * {@link #REDRAWS_PER_SECOND} times a second. Images done or failed, and notes, are printed as
 * lines above the bars and stay. Written here rather than with a progress-bar library: two bars
 * and a few escapes need no native terminal access.
 */
final class ProgressBars implements ProgressDisplay {
    static final int REDRAWS_PER_SECOND = 10;
    private static final long REDRAW_EVERY = TimeUnit.SECONDS.toNanos(1) / REDRAWS_PER_SECOND;
    private static final String ERASE_LINE = "\r\033[2K";
    private static final String CURSOR_UP = "\033[1A";
    private static final int BAR_WIDTH = 20;
    /** Names are padded to this width (when the terminal has room), so that the bars line up. */
    private static final int NAME_WIDTH = 40;

    private final PrintStream out;
    private final ProgressTracker tracker;
    private final int columns;
    private int linesDrawn;
    private long lastDrawn = Long.MIN_VALUE;
    private boolean finished;

    ProgressBars(PrintStream out, LongSupplier nanos, int columns) {
        this.out = out;
        this.tracker = new ProgressTracker(nanos);
        this.columns = columns;
    }

    @Override
    public synchronized void start(long totalBytes, int images) {
        tracker.start(totalBytes, images);
        redraw(true);
    }

    @Override
    public synchronized void imageStarted(String image, long totalBytes) {
        tracker.started(image, totalBytes);
        redraw(false);
    }

    @Override
    public synchronized void imageAdvanced(String image, long doneBytes) {
        tracker.advanced(image, doneBytes);
        redraw(false);
    }

    @Override
    public synchronized void imageDone(String image) {
        ProgressTracker.ImageProgress p = tracker.started(image, 0);
        if (tracker.finished(p, false)) {
            long took = tracker.now() - p.startedAt;
            printAbove("done   " + image + "  " + ProgressFormat.moved(p.done, took));
        }
    }

    @Override
    public synchronized void imageFailed(String image, String reason) {
        if (tracker.finished(tracker.started(image, 0), true)) {
            printAbove("FAILED " + image + ": " + reason);
        }
    }

    @Override
    public synchronized void note(String line) {
        printAbove(line);
    }

    @Override
    public synchronized void finish() {
        if (!finished) {
            erase();
            finished = true;
            out.flush();
        }
    }

    private void printAbove(String line) {
        erase();
        out.print(line + "\n");
        redraw(true);
    }

    private void redraw(boolean now) {
        long time = tracker.now();
        if (finished || (!now && time - lastDrawn < REDRAW_EVERY)) {
            return;
        }
        lastDrawn = time;
        erase();
        ProgressTracker.ImageProgress current = tracker.current();
        StringBuilder screen = new StringBuilder();
        if (current != null) {
            screen.append(line(current.name, current.done, current.total, time - current.startedAt)).append('\n');
            linesDrawn = 2;
        } else {
            linesDrawn = 1;
        }
        String label = "total " + (tracker.finishedImages() + tracker.failedImages()) + "/" + tracker.expectedImages();
        screen.append(line(label, tracker.done(), tracker.total(), tracker.elapsed()));
        out.print(screen);
        out.flush();
    }

    /** {@code name [====>   ] 12.3 MiB / 40.0 MiB  5.1 MiB/s  ETA 6s}, the name shortened to fit the width. */
    private String line(String name, long done, long total, long nanos) {
        String numbers = " " + ProgressFormat.bar(done, total, BAR_WIDTH) + " " + ProgressFormat.bytes(done) + " / "
                + ProgressFormat.bytes(total) + "  " + ProgressFormat.rate(done, nanos) + "  ETA "
                + ProgressFormat.eta(done, total, nanos);
        int room = Math.max(10, columns - 1 - numbers.length());
        String shown = name.length() <= room ? name : "…" + name.substring(name.length() - room + 1);
        return String.format("%-" + Math.min(room, NAME_WIDTH) + "s", shown) + numbers;
    }

    /** Erases the bars drawn; the cursor is left at the start of the first bar's line. */
    private void erase() {
        if (linesDrawn == 0) {
            return;
        }
        StringBuilder erase = new StringBuilder(ERASE_LINE);
        for (int i = 1; i < linesDrawn; i++) {
            erase.append(CURSOR_UP).append(ERASE_LINE);
        }
        out.print(erase);
        linesDrawn = 0;
    }
}
