package io.berth.store.transfer.export;

import java.io.IOException;

/**
 * An export (or inventory, or verification) that cannot go on, with a message that says what
 * failed, for which image and blob where there is one, and what to do. No bundle is left behind.
 */
public final class ExportException extends IOException {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
