package io.berth.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Sends a response body from a source that blocks to read (a large file, a file under TLS, an
 * object store's stream) without blocking the event loop and without holding the body in memory:
 * a blocking thread reads it into pooled direct buffers and writes them, with at most a few chunks
 * written but not yet taken by the socket. A client that reads slowly therefore holds the reader
 * back, and one that goes away stops it; the source is closed either way.
 */
final class StreamedResponse implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamedResponse.class);
    /** Chunk size and chunks in flight for sources other than large local files. */
    static final int CHUNK = 64 * 1024;
    static final int IN_FLIGHT = 4;

    private final ChannelHandlerContext ctx;
    private final BlockingSource source;
    private final long length;
    private final Executor blocking;
    private final Consumer<Boolean> done;
    private final int chunkSize;
    private final int inFlight;
    private final Semaphore slots;
    private final AtomicBoolean sourceClosed = new AtomicBoolean();
    private final ChannelFutureListener clientGone = f -> clientGone();
    private volatile boolean failed;

    /**
     * @param done told, on the event loop, whether the whole body was written
     */
    StreamedResponse(ChannelHandlerContext ctx, BlockingSource source, long length, Executor blocking,
                     Consumer<Boolean> done) {
        this(ctx, source, length, blocking, done, CHUNK, IN_FLIGHT);
    }

    /**
     * @param chunkSize bytes read and written at a time
     * @param inFlight  chunks that may be written but not yet taken by the socket
     */
    StreamedResponse(ChannelHandlerContext ctx, BlockingSource source, long length, Executor blocking,
                     Consumer<Boolean> done, int chunkSize, int inFlight) {
        this.ctx = ctx;
        this.source = source;
        this.length = length;
        this.blocking = blocking;
        this.done = done;
        this.chunkSize = chunkSize;
        this.inFlight = inFlight;
        this.slots = new Semaphore(inFlight);
    }

    /** Starts sending on a blocking thread; the head must have been written already. */
    void start() {
        ctx.channel().closeFuture().addListener(clientGone);
        try {
            blocking.execute(this);
        } catch (RejectedExecutionException e) {
            closeSource();
            ctx.close().addListener(f -> finish(false));
        }
    }

    @Override
    public void run() {
        try {
            long left = length;
            while (left > 0) {
                slots.acquire();
                if (failed) {
                    throw new IOException("the client went away");
                }
                int n = (int) Math.min(chunkSize, left);
                ByteBuf chunk = ctx.alloc().directBuffer(n);
                try {
                    left -= readSome(chunk, n, left);
                } catch (IOException | RuntimeException e) {
                    chunk.release();
                    throw e;
                }
                ctx.writeAndFlush(new DefaultHttpContent(chunk)).addListener(f -> {
                    if (!f.isSuccess()) {
                        failed = true;
                    }
                    slots.release();
                });
            }
            closeSource();
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> finish(f.isSuccess()));
        } catch (InterruptedException | IOException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!failed) {
                LOG.warn("response body for {} broke off: {}", ctx.channel().remoteAddress(), e.toString());
            }
            closeSource();
            // The head promised more bytes than can follow: only closing tells the client.
            ctx.close().addListener(f -> finish(false));
        }
    }

    private void clientGone() {
        failed = true;
        slots.release(inFlight); // wakes a sender waiting for the socket
        runBlocking(this::closeSource); // ends a read stuck on a remote source (closing it may wait)
    }

    /** Event loop: the response is over. */
    private void finish(boolean success) {
        ctx.channel().closeFuture().removeListener(clientGone); // a keep-alive connection sends many
        done.accept(success);
    }

    /**
     * Reads at least one and at most {@code max} bytes into the chunk: what the source has now goes
     * out now, so a source that trickles (a proxy's fill from a slow upstream) keeps the client's
     * transfer moving instead of holding bytes back until a whole chunk is there.
     */
    private int readSome(ByteBuf chunk, int max, long left) throws IOException {
        while (chunk.readableBytes() == 0) {
            if (failed) {
                throw new IOException("the client went away");
            }
            if (source.read(chunk, max) < 0) {
                throw new EOFException("the source ended " + left + " bytes short of the body");
            }
        }
        return chunk.readableBytes();
    }

    private void closeSource() {
        if (sourceClosed.compareAndSet(false, true)) {
            try {
                source.close();
            } catch (IOException e) {
                LOG.debug("closing a response source failed", e);
            }
        }
    }

    private void runBlocking(Runnable task) {
        try {
            blocking.execute(task);
        } catch (RejectedExecutionException e) {
            // The server is stopping: the sender itself closes the source when it next wakes.
        }
    }
}
