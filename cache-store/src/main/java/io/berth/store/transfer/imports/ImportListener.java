package io.berth.store.transfer.imports;

import io.berth.store.transfer.imports.ImportResult.ImageResult;

import java.util.List;

/**
 * What an import tells as it goes, for progress bars or plain lines: the plan, each blob, manifest
 * and tag as it is pushed or found present, bytes as they are sent, and each image's outcome.
 * {@link #step} and {@link #progress} are also called from the threads that push an image's blobs
 * at once (never two {@link #progress} calls at a time): be quick, and thread-safe.
 */
public interface ImportListener {
    /** Nothing told. */
    ImportListener NONE = new ImportListener() {
    };

    /** Every image of the archive is planned: {@code images} of them, {@code totalBytes} of content in all. */
    default void planned(String archive, int images, long totalBytes) {
    }

    /** Importing {@code image} into {@code targets} begins; it references {@code bytes} of content. */
    default void imageStarted(String image, List<Target> targets, long bytes) {
    }

    /** One blob, manifest or tag was dealt with. */
    default void step(String image, Step step) {
    }

    /** Bytes so far, for one image and overall; at least at the end of every blob. */
    default void progress(Progress progress) {
    }

    /** An image is done with: imported, found present, failed, or (stopped earlier) not tried. */
    default void imageFinished(ImageResult result) {
    }

    /** What was done with one item. */
    enum Action {
        /** Sent to the registry. */
        PUSHED,
        /** Mounted from another repository of the registry (nothing sent). */
        MOUNTED,
        /** The registry has it already. */
        PRESENT,
        /** A dry run: it would be sent. */
        WOULD_PUSH
    }

    /** What an item is. */
    enum Kind { BLOB, MANIFEST, TAG }

    /**
     * One item dealt with.
     *
     * @param kind     blob, manifest or tag
     * @param what     its digest, or {@code repository:tag}
     * @param action   what was done with it
     * @param bytes    its size (a tag: 0)
     */
    record Step(Kind kind, String what, Action action, long bytes) {
    }

    /**
     * Progress at one moment: bytes dealt with (sent, or found present) for one image and overall,
     * and bytes actually sent overall.
     */
    record Progress(String image, long imageDone, long imageTotal, long done, long total, long sent) {
    }
}
