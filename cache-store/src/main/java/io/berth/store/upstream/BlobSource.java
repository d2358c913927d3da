package io.berth.store.upstream;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the bytes of a blob to push come from: a stream that can be opened again at any offset,
 * so that an upload that failed half-way resumes where the destination stands instead of reading
 * (and sending) the blob again from its start.
 */
@FunctionalInterface
public interface BlobSource {
    /**
     * The blob's bytes from {@code offset} to its end. The caller closes the stream, and reads it
     * on its own thread (never an event loop, never the HTTP client's).
     */
    InputStream open(long offset) throws IOException;

    /**
     * The blob {@code digest} of {@code repository} as {@code upstream} serves it ({@code GET}, with
     * a {@code Range} from an offset): replication's "stream the source into the destination".
     */
    static BlobSource of(Upstream upstream, String repository, Digest digest) {
        return offset -> upstream.getBlob(repository, digest, offset).orElseThrow(() -> new IOException("upstream '"
                + upstream.endpoint().name() + "' has no blob " + digest + " in " + repository)).body();
    }
}
