package io.berth.store.blob;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.io.IOException;
import java.util.Locale;

/**
 * Recognises a write that failed because the storage is full, so that the client gets a clear
 * {@link ErrorCode#STORAGE_FULL} instead of an internal error. Java reports {@code ENOSPC} and
 * {@code EDQUOT} only as the message of a plain {@link IOException}.
 */
public final class StorageFull {
    private StorageFull() {
    }

    /** Whether {@code e} says the file system is out of space or quota. */
    public static boolean is(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null) {
                String m = message.toLowerCase(Locale.ROOT);
                if (m.contains("no space left on device") || m.contains("disk quota exceeded")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The failure to report: storage full, or {@code e} itself. Usage: {@code throw StorageFull.orElse(e)}. */
    public static IOException orElse(IOException e) {
        if (is(e)) {
            throw new RegistryException(ErrorCode.STORAGE_FULL, "the registry's storage is full, so nothing of this"
                    + " write was kept: ask the registry's operator to free space, then retry");
        }
        return e;
    }
}
