package io.berth.store.transfer.export;

import io.berth.store.transfer.BundleDescriptor;

/**
 * What an export tells as it goes, for progress bars or plain lines: the plan once every manifest is
 * fetched, then bytes as they are written. Called on the exporting thread: be quick. Bytes count
 * manifest and blob content (tar headers aside); a blob shared by several images counts for the
 * first of them in the bundle's order.
 */
public interface ExportListener {
    /** Nothing told. */
    ExportListener NONE = new ExportListener() {
    };

    /** The bundle's descriptor is known (every manifest fetched) and {@code totalBytes} are to be written. */
    default void planned(BundleDescriptor descriptor, long totalBytes) {
    }

    /** Bytes written so far, for one image and overall; at least at the end of every manifest and blob. */
    default void progress(Progress progress) {
    }

    /**
     * Progress at one moment.
     *
     * @param image      the full reference of the image whose content is being written
     * @param imageDone  bytes of that image written
     * @param imageTotal bytes of that image the bundle holds
     * @param done       bytes written overall
     * @param total      bytes the bundle holds overall
     */
    record Progress(String image, long imageDone, long imageTotal, long done, long total) {
    }
}
