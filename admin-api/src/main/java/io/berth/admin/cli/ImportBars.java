package io.berth.admin.cli;

import io.berth.store.transfer.imports.ImportListener;
import io.berth.store.transfer.imports.ImportResult.ImageResult;
import io.berth.store.transfer.imports.ImportResult.Status;
import io.berth.store.transfer.imports.Target;

import java.util.List;

/**
 * {@code berth import}'s progress on a terminal: a bar per image under way and one overall (bytes,
 * rate, ETA) on a {@link ProgressDisplay}, with the plain lines of {@link ImportLines} (each image
 * as it starts and ends) kept above the bars. The overall bar grows by each archive as it is
 * planned (its rate and ETA start again then).
 */
final class ImportBars implements ImportListener {
    private final ProgressDisplay display;
    private final ImportLines lines;
    private long totalBytes;
    private int images;

    ImportBars(ProgressDisplay display, boolean dryRun) {
        this.display = display;
        this.lines = new ImportLines(display::note, false, dryRun);
    }

    /** The plain lines' view of the run (its start, for the summary). */
    ImportLines lines() {
        return lines;
    }

    @Override
    public void planned(String archive, int images, long totalBytes) {
        this.totalBytes += totalBytes;
        this.images += images;
        display.start(this.totalBytes, this.images); // each archive adds to the overall bar
        lines.planned(archive, images, totalBytes);
    }

    @Override
    public void imageStarted(String image, List<Target> targets, long bytes) {
        lines.imageStarted(image, targets, bytes);
        display.imageStarted(image, bytes);
    }

    @Override
    public void step(String image, Step step) {
        lines.step(image, step);
    }

    @Override
    public void progress(Progress p) {
        lines.progress(p);
        if (p.image() != null) {
            display.imageAdvanced(p.image(), p.imageDone());
        }
    }

    @Override
    public void imageFinished(ImageResult r) {
        lines.imageFinished(r);
        if (r.status() == Status.FAILED) {
            display.imageFailed(r.image(), r.message());
        } else if (r.status() != Status.NOT_TRIED) {
            display.imageDone(r.image());
        }
    }

    /** A line to keep above the bars. */
    void note(String line) {
        display.note(line);
    }

    /** The run is over: the bars are cleared. */
    void finish() {
        display.finish();
    }
}
