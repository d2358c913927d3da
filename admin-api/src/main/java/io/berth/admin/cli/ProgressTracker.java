package io.berth.admin.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The numbers behind a {@link ProgressDisplay}: bytes done and expected per image and overall, and
 * when each began, on a clock of nanoseconds (a fake one in tests). Not thread-safe: the displays
 * call it under their own lock.
 */
final class ProgressTracker {
    /** One image's numbers. */
    static final class ImageProgress {
        final String name;
        final long startedAt;
        long total;
        long done;
        boolean finished;

        ImageProgress(String name, long total, long startedAt) {
            this.name = name;
            this.total = total;
            this.startedAt = startedAt;
        }
    }

    private final LongSupplier nanos;
    private final Map<String, ImageProgress> images = new LinkedHashMap<>();
    private long startedAt;
    private long total;
    private int expectedImages;
    private int finishedImages;
    private int failedImages;
    private ImageProgress latest;

    ProgressTracker(LongSupplier nanos) {
        this.nanos = nanos;
        this.startedAt = nanos.getAsLong();
    }

    long now() {
        return nanos.getAsLong();
    }

    void start(long totalBytes, int imageCount) {
        startedAt = now();
        total = totalBytes;
        expectedImages = imageCount;
    }

    ImageProgress started(String image, long totalBytes) {
        ImageProgress p = images.computeIfAbsent(image, n -> new ImageProgress(n, totalBytes, now()));
        p.total = Math.max(p.total, totalBytes);
        latest = p;
        return p;
    }

    ImageProgress advanced(String image, long doneBytes) {
        ImageProgress p = started(image, doneBytes);
        p.done = Math.max(p.done, doneBytes);
        p.total = Math.max(p.total, p.done);
        return p;
    }

    /** Marks it done (or failed); false when it already was. */
    boolean finished(ImageProgress p, boolean failed) {
        if (p.finished) {
            return false;
        }
        p.finished = true;
        if (failed) {
            failedImages++;
        } else {
            p.done = Math.max(p.done, p.total);
            finishedImages++;
        }
        return true;
    }

    /** Bytes done overall: the sum over images. */
    long done() {
        long sum = 0;
        for (ImageProgress p : images.values()) {
            sum += p.done;
        }
        return sum;
    }

    long total() {
        return Math.max(total, done());
    }

    long elapsed() {
        return now() - startedAt;
    }

    int expectedImages() {
        return Math.max(expectedImages, images.size());
    }

    int finishedImages() {
        return finishedImages;
    }

    int failedImages() {
        return failedImages;
    }

    /** The image that moved last and is not finished, or null. */
    ImageProgress current() {
        return latest == null || latest.finished ? null : latest;
    }

    /** {@code 12.3 MiB of 100 MiB (12%), 1 of 3 images done, 5.1 MiB/s, ETA 18s}. */
    String overall() {
        long done = done();
        long all = total();
        long elapsed = elapsed();
        return ProgressFormat.bytes(done) + " of " + ProgressFormat.bytes(all) + " (" + ProgressFormat.percent(done, all)
                + "), " + finishedImages + " of " + expectedImages() + " images done"
                + (failedImages > 0 ? ", " + failedImages + " failed" : "") + ", " + ProgressFormat.rate(done, elapsed)
                + ", ETA " + ProgressFormat.eta(done, all, elapsed);
    }
}
