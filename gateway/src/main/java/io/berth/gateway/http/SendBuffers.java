package io.berth.gateway.http;

import io.netty.util.internal.PlatformDependent;

import java.util.concurrent.Semaphore;

/**
 * The memory that large responses may hold, all connections together, and the sizes they are sent
 * in: files on plain HTTP as below, and bodies read from a stream (a proxy's spool file, a file
 * under TLS) in the same chunks while there is room. Such a file is read on a blocking thread into pooled direct buffers and
 * written with plain socket writes ({@link StreamedResponse}), not sent with {@code sendfile}:
 * measured on a 2-core machine over loopback (interleaved, medians), a single 128 MiB download
 * went at ~2.5 GB/s this way against ~1.6 GB/s with {@code sendfile} (CNCF Distribution ~1.7,
 * nginx ~1.6), and 50 MiB blobs under 16 connections at 1.24× the {@code sendfile} rate. Plain
 * writes let the server's core read the file while the client's core copies from data still in
 * the cache; with {@code sendfile} the client's core does all the copying from the page cache.
 *
 * <p>Below {@link #MIN_LENGTH} {@code sendfile} stays: 1 MiB blobs under 16 connections went at
 * 0.86× its rate with plain writes (a thread hop and a read per response cost more than they
 * save), 2 MiB were even, 4 MiB 1.10× and more for plain writes. When the memory is taken, a large
 * file goes out zero-copy ({@code sendfile}, corked) instead of waiting.
 */
final class SendBuffers {
    /** Files from this size on are sent with plain writes when memory allows. */
    static final long MIN_LENGTH = 4L << 20;
    /**
     * Bytes read and written at a time: the largest buffer Netty's adaptive allocator pools (a
     * 1 MiB buffer took ~0.5 µs to get, 2 MiB ~100 µs, freshly allocated and zeroed). 512 KiB
     * chunks were ~10% slower on a single download, 64 KiB ~40%.
     */
    static final int CHUNK = 1 << 20;
    /**
     * Chunks written but not yet taken by the socket: two let one be read while the other is
     * written. More held more memory and went no faster (a single 128 MiB download: 2 chunks
     * ~2.2 GB/s, 3 ~2.0, 4 ~1.8, 8 ~1.6, medians of 9), as the chunks then fall out of the cache
     * before the client's core copies them.
     */
    static final int IN_FLIGHT = 2;

    private final Semaphore chunks;

    /** Room for {@code bytes} of chunks; less than one response's worth sends every file zero-copy. */
    SendBuffers(long bytes) {
        this.chunks = new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(0, bytes / CHUNK)));
    }

    /** An eighth of the direct memory Netty allocates from (32 MiB, 16 responses, at the default 256 MiB). */
    static SendBuffers ofDefaultSize() {
        return new SendBuffers(PlatformDependent.maxDirectMemory() / 8);
    }

    /** Takes one response's buffers if they are free; {@link #release} must follow. */
    boolean tryReserve() {
        return chunks.tryAcquire(IN_FLIGHT);
    }

    /** Gives one response's buffers back. */
    void release() {
        chunks.release(IN_FLIGHT);
    }

    /** Chunks free now. */
    int available() {
        return chunks.availablePermits();
    }
}
