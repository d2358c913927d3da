package io.berth.store.blob;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.OptionalLong;

/** Reads verified blobs. Implementations are safe for concurrent use. */
public interface BlobReader {
    /** The blob's size, or empty when the store does not hold it. */
    OptionalLong size(Digest digest) throws IOException;

    /**
     * Opens the blob for reading; the caller closes the channel. A local store returns a
     * {@link java.nio.channels.FileChannel}, which the gateway can send without copying.
     *
     * @throws java.nio.file.NoSuchFileException when the store does not hold the blob
     */
    SeekableByteChannel open(Digest digest) throws IOException;
}
