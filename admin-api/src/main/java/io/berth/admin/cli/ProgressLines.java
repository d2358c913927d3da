package io.berth.admin.cli;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress as plain lines, for logs and pipes: one line per image done or failed, and an overall
 * line ({@link ProgressTracker#overall}) at most every {@link #OVERALL_EVERY_NANOS} while bytes move.
 */
final class ProgressLines implements ProgressDisplay {
    /** The least time between two overall lines. */
    static final long OVERALL_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final PrintStream out;
    private final ProgressTracker tracker;
    private long lastOverall;

    ProgressLines(PrintStream out, LongSupplier nanos) {
        this.out = out;
        this.tracker = new ProgressTracker(nanos);
        this.lastOverall = tracker.now();
    }

    @Override
    public synchronized void start(long totalBytes, int images) {
        tracker.start(totalBytes, images);
        lastOverall = tracker.now();
    }

    @Override
    public synchronized void imageStarted(String image, long totalBytes) {
        tracker.started(image, totalBytes);
    }

    @Override
    public synchronized void imageAdvanced(String image, long doneBytes) {
        tracker.advanced(image, doneBytes);
        long now = tracker.now();
        if (now - lastOverall >= OVERALL_EVERY_NANOS) {
            lastOverall = now;
            out.println("progress: " + tracker.overall());
        }
    }

    @Override
    public synchronized void imageDone(String image) {
        ProgressTracker.ImageProgress p = tracker.started(image, 0);
        if (tracker.finished(p, false)) {
            long took = tracker.now() - p.startedAt;
            out.println("done " + image + ": " + ProgressFormat.moved(p.done, took));
        }
    }

    @Override
    public synchronized void imageFailed(String image, String reason) {
        if (tracker.finished(tracker.started(image, 0), true)) {
            out.println("failed " + image + ": " + reason);
        }
    }

    @Override
    public synchronized void note(String line) {
        out.println(line);
    }

    @Override
    public synchronized void finish() {
        out.flush();
    }
}
