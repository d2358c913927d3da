package io.berth.store.transfer.archive;

import java.io.IOException;

/**
 * An archive that cannot be read as an image archive: not a known format, a corrupt tar header,
 * a truncated or missing part, a manifest that names a file the archive lacks. The message names
 * the archive, the entry and what to do.
 */
public final class ArchiveException extends IOException {
    public ArchiveException(String message) {
        super(message);
    }

    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
