package io.berth.store.transfer.imports;

/**
 * Counts an import's bytes for its {@link ImportListener}: content dealt with (sent, or found
 * present) per image and overall, the parts of the blobs in flight, and bytes sent. Safe to call
 * from the threads that push an image's blobs at once.
 */
final class ProgressCounter {
    private final ImportListener listener;
    private final long total;
    private String image;
    private long imageTotal;
    private long imageDone;
    private long done;
    private long inFlight;
    private long sent;

    ProgressCounter(ImportListener listener, long total) {
        this.listener = listener;
        this.total = total;
    }

    synchronized void imageStarted(String label, long bytes) {
        image = label;
        imageTotal = bytes;
        imageDone = 0;
        inFlight = 0;
    }

    /** Bytes about to be sent (a resumed chunk's again). */
    synchronized void sent(long bytes) {
        sent += bytes;
        inFlight += bytes;
        tell();
    }

    /** An item whose sending counted {@code bytes} in flight has ended, well or not. */
    synchronized void landed(long bytes) {
        inFlight = Math.max(0, inFlight - bytes);
    }

    /** An item of {@code bytes} is done with. */
    synchronized void done(String label, long bytes) {
        imageDone += bytes;
        done += bytes;
        tell();
    }

    /** A failed or finished image's bytes count as dealt with overall. */
    synchronized void imageEnded() {
        done += Math.max(0, imageTotal - imageDone);
        imageDone = imageTotal;
        inFlight = 0;
        tell();
    }

    synchronized long sentSoFar() {
        return sent;
    }

    private void tell() {
        listener.progress(new ImportListener.Progress(image, Math.min(imageTotal, imageDone + inFlight), imageTotal,
                Math.min(total, done + inFlight), total, sent));
    }
}
