package io.berth.admin.cli;

import io.berth.store.transfer.imports.ImportListener;
import io.berth.store.transfer.imports.ImportResult.ImageResult;
import io.berth.store.transfer.imports.Target;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code berth import}'s progress as plain lines: each image as it starts and ends (bytes sent and
 * rate), a line of overall bytes and rate at most every few seconds while blobs stream, and in a
 * dry run what would be pushed. Private to the import command. Under progress bars
 * ({@link ImportBars}) the same lines go above the bars and the overall lines are left out.
 */
final class ImportLines implements ImportListener {
    private static final long EVERY_NANOS = 3_000_000_000L;

    private final Consumer<String> out;
    private final boolean overallLines;
    private final boolean dryRun;
    private final long started = System.nanoTime();
    private long imageStarted;
    private long imageSentAtStart;
    private long lastLine = started;
    private long sent;

    ImportLines(PrintStream out, boolean dryRun) {
        this(out::println, true, dryRun);
    }

    /**
     * @param out          takes each line (without its line break)
     * @param overallLines whether a line of overall progress is printed every few seconds
     */
    ImportLines(Consumer<String> out, boolean overallLines, boolean dryRun) {
        this.out = out;
        this.overallLines = overallLines;
        this.dryRun = dryRun;
    }

    private void printf(String format, Object... args) {
        out.accept(String.format(format, args));
    }

    @Override
    public void planned(String archive, int images, long totalBytes) {
        printf("%s: %d image%s, %s", archive, images, images == 1 ? "" : "s", bytes(totalBytes));
    }

    @Override
    public void imageStarted(String image, List<Target> targets, long bytes) {
        imageStarted = System.nanoTime();
        imageSentAtStart = sent;
        printf("%s %s → %s (%s)", dryRun ? "checking" : "importing", image,
                targets.stream().map(Target::toString).collect(Collectors.joining(", ")), bytes(bytes));
    }

    @Override
    public void step(String image, Step step) {
        if (dryRun && step.action() == Action.WOULD_PUSH) {
            printf("  would push %s %s%s", step.kind().name().toLowerCase(Locale.ROOT), step.what(),
                    step.bytes() > 0 ? " (" + bytes(step.bytes()) + ")" : "");
        }
    }

    @Override
    public void progress(Progress p) {
        sent = p.sent();
        long now = System.nanoTime();
        if (now - lastLine < EVERY_NANOS || dryRun || !overallLines) {
            return;
        }
        lastLine = now;
        printf("  %s: %s of %s; overall %s of %s (%d%%), %s sent at %s", p.image(), bytes(p.imageDone()),
                bytes(p.imageTotal()), bytes(p.done()), bytes(p.total()),
                p.total() == 0 ? 100 : p.done() * 100 / p.total(), bytes(p.sent()), rate(p.sent(), now - started));
    }

    @Override
    public void imageFinished(ImageResult r) {
        long imageSent = sent - imageSentAtStart;
        switch (r.status()) {
            case IMPORTED -> printf("%s %s: %d blob%s %s, %d present, %d manifest%s, %d tag%s; %s sent at %s",
                    dryRun ? "would import" : "imported", r.image(), r.blobsPushed(), r.blobsPushed() == 1 ? "" : "s",
                    dryRun ? "to push" : "pushed", r.blobsPresent(), r.manifestsPushed(),
                    r.manifestsPushed() == 1 ? "" : "s", r.tagsPushed(), r.tagsPushed() == 1 ? "" : "s",
                    bytes(imageSent), rate(imageSent, System.nanoTime() - imageStarted));
            case PRESENT -> printf("present %s: the registry holds all of it", r.image());
            case FAILED -> printf("FAILED: %s", r.message());
            case NOT_TRIED -> printf("not tried %s: %s", r.image(), r.message());
        }
    }

    /** Nanoseconds since the import began. */
    long elapsed() {
        return System.nanoTime() - started;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String rate(long bytes, long nanos) {
        return bytes(nanos <= 0 ? 0 : (long) (bytes / (nanos / 1e9))) + "/s";
    }
}
