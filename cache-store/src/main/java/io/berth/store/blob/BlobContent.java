package io.berth.store.blob;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * A span of a blob, opened for serving, in the form its store offers best: a region of a local
 * file (which the gateway sends without copying), a stream (an object store's body), or a URL the
 * client may fetch directly. The receiver closes it, whatever it does with it.
 */
public sealed interface BlobContent extends Closeable {
    /** How many bytes the span holds. */
    long length();

    /** {@code length} bytes of an open local file from {@code position}; closing closes the file. */
    record LocalFile(FileChannel file, long position, long length) implements BlobContent {
        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /** A channel positioned at the span's first byte that yields exactly {@code length} bytes. */
    record Stream(ReadableByteChannel channel, long length) implements BlobContent {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * A location that serves the whole blob (a pre-signed object-store URL, say). Clients fetch it
     * themselves, with their own {@code Range}; the registry never forwards its credentials there.
     */
    record Redirect(URI location, long length) implements BlobContent {
        @Override
        public void close() {
            // nothing is open
        }
    }
}
