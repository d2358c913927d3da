package io.berth.store.upstream;

import java.io.IOException;

/**
 * The bytes to push could not be read, or are not the blob they claim to be: the source's fault
 * (its registry, its file), not the destination's. Its cause, when there is one, is the source's
 * own failure (an {@link UpstreamException} of the source registry, say). Nothing was committed at
 * the destination.
 */
public final class BlobSourceException extends IOException {
    public BlobSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
