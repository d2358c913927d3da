package io.berth.gateway.hostile;

import io.berth.store.blob.UploadStore;
import io.berth.store.oci.Digest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * An upload store whose disk is slow: every upload together gets {@code bytesPerSecond}, shared
 * first come first served, so uploads arrive faster than they can be written and the gateway must
 * hold back its clients instead of buffering their bodies.
 */
final class SlowSink implements UploadStore {
    private final UploadStore delegate;
    private final long bytesPerSecond;
    private final Object lock = new Object();
    private long nextFree = System.nanoTime();

    SlowSink(UploadStore delegate, long bytesPerSecond) {
        this.delegate = delegate;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Waits for this write's share of the sink's time. */
    private void pace(int bytes) {
        long cost = bytes * 1_000_000_000L / bytesPerSecond;
        long until;
        synchronized (lock) {
            nextFree = Math.max(nextFree, System.nanoTime()) + cost;
            until = nextFree;
        }
        long wait;
        while ((wait = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    @Override
    public Chunk beginChunk(String id, long expectedStart) throws IOException {
        Chunk chunk = delegate.beginChunk(id, expectedStart);
        return new Chunk() {
            @Override
            public long start() {
                return chunk.start();
            }

            @Override
            public void write(ByteBuffer buffer) throws IOException {
                pace(buffer.remaining());
                chunk.write(buffer);
            }

            @Override
            public long commit() throws IOException {
                return chunk.commit();
            }

            @Override
            public void close() throws IOException {
                chunk.close();
            }
        };
    }

    @Override
    public String create(Digest.Algorithm algorithm) throws IOException {
        return delegate.create(algorithm);
    }

    @Override
    public boolean exists(String id) {
        return delegate.exists(id);
    }

    @Override
    public long size(String id) throws IOException {
        return delegate.size(id);
    }

    @Override
    public void complete(String id, Digest expected) throws IOException {
        delegate.complete(id, expected);
    }

    @Override
    public void delete(String id) throws IOException {
        delegate.delete(id);
    }

    @Override
    public List<String> idleSince(Instant cutoff) throws IOException {
        return delegate.idleSince(cutoff);
    }

    @Override
    public boolean deleteIfIdle(String id, Instant cutoff) throws IOException {
        return delegate.deleteIfIdle(id, cutoff);
    }
}
