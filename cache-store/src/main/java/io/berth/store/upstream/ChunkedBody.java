package io.berth.store.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A body read as the buffers it arrives in, without copying them into a caller's array: a cache
 * fill hashes and writes each one as it is (a 1 GiB layer is then copied once less in memory).
 */
public interface ChunkedBody {

    /**
     * The next bytes of the body, waiting for them; null at its end. The buffer is the caller's to
     * consume until the next call, and holds at least one byte.
     */
    ByteBuffer nextChunk() throws IOException;

    /**
     * {@code body} read chunk by chunk: the buffers themselves when it is an upstream's response
     * body, else reads into one buffer of {@code bufferSize} bytes, used again for each chunk.
     */
    static ChunkedBody of(InputStream body, int bufferSize) {
        if (body instanceof ChunkedBody chunked) {
            return chunked;
        }
        byte[] buffer = new byte[bufferSize];
        return () -> {
            int n;
            do {
                n = body.read(buffer);
            } while (n == 0);
            return n < 0 ? null : ByteBuffer.wrap(buffer, 0, n);
        };
    }
}
