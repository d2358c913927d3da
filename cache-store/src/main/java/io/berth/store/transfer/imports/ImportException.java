package io.berth.store.transfer.imports;

/**
 * One image could not be imported: its message names the image, the manifest or blob at fault and
 * what to do. Nothing was tagged for that image.
 */
public final class ImportException extends Exception {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
