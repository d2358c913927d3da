package io.berth.store.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's span of a blob being fetched, read from the fill's spool file as the bytes arrive:
 * a read blocks (on the gateway's blocking thread) until bytes past its position may be read, and
 * fails when the fill fails. Its last byte comes only once the fill verified the digest, so a
 * corrupt blob never looks complete. Closing it, from any thread, ends only this reader. While
 * open it counts as one of the fills' waiters, and the bytes it reads as served from the upstream.
 */
final class SpoolReader implements ReadableByteChannel {
    private final BlobFill fill;
    private final FileChannel file;
    private final long end;
    private final ProxyCounters counters;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private long position;

    SpoolReader(BlobFill fill, FileChannel file, long offset, long end, ProxyCounters counters) {
        this.fill = fill;
        this.file = file;
        this.position = offset;
        this.end = end;
        this.counters = counters;
        counters.blobFillWaiters.incrementAndGet();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open.get()) {
            throw new ClosedChannelException();
        }
        if (position >= end) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        long readable = fill.awaitReadable(position, end, this);
        int want = (int) Math.min(dst.remaining(), readable - position);
        ByteBuffer window = dst.slice(dst.position(), want);
        int n = file.read(window, position);
        if (n < 0) {
            throw new EOFException("the spool file of blob " + fill.digest() + " ended at " + position);
        }
        dst.position(dst.position() + n);
        position += n;
        counters.blobBytesFromUpstream.add(n);
        return n;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() throws IOException {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        counters.blobFillWaiters.decrementAndGet();
        fill.wake();
        file.close();
    }
}
