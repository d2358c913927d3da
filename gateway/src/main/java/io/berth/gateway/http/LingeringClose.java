package io.berth.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request was answered before its body was read, the way nginx's
 * lingering close does. Closing at once, with the client's bytes still arriving, makes the kernel
 * answer them with a reset, and a client that sends its whole body before it reads (Python's
 * http.client, many scripts) then sees "connection reset by peer" instead of the answer. So: the
 * answer goes out, everything the client still sends is read and dropped (in front of TLS and
 * the HTTP codec: none of it is looked at), the output is shut once the answer is written, and the
 * connection closes when the client closes its side, or after {@link #TIME} in all, {@link #TIMEOUT}
 * without a byte, or {@link #MAX_BYTES} dropped.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(LingeringClose.class);

    /** nginx's lingering_time. */
    static final long TIME = TimeUnit.SECONDS.toNanos(30);
    /** nginx's lingering_timeout. */
    static final long TIMEOUT = TimeUnit.SECONDS.toNanos(5);
    /** What the registry reads into the void before it gives up on the client. */
    static final long MAX_BYTES = 64L << 20;

    private final long started = System.nanoTime();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> check;
    private long lastRead = started;
    private long dropped;

    /** Puts a lingering close in front of the connection's pipeline and reads on. */
    static LingeringClose start(ChannelHandlerContext anyContext) {
        LingeringClose lingering = new LingeringClose();
        anyContext.pipeline().addFirst("linger", lingering);
        anyContext.channel().config().setAutoRead(true);
        return lingering;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        scheduleCheck(TIMEOUT);
    }

    /** The answer is written: tell the client there is nothing more (TLS close_notify, then FIN). */
    void answerWritten() {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            shutdownOutput();
            return;
        }
        tls.closeOutbound().addListener(f -> shutdownOutput());
    }

    private void shutdownOutput() {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            dropped += bytes.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        lastRead = System.nanoTime();
        if (dropped > MAX_BYTES) {
            LOG.debug("closing {}: it sent {} bytes after its answer", ctx.channel().remoteAddress(), dropped);
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.warn("connection {} failed while closing", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (check != null) {
            check.cancel(false);
        }
        super.channelInactive(ctx);
    }

    private void scheduleCheck(long delayNanos) {
        check = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        long now = System.nanoTime();
        long quietUntil = lastRead + TIMEOUT;
        long endAt = started + TIME;
        if (now >= quietUntil || now >= endAt) {
            ctx.close();
            return;
        }
        scheduleCheck(Math.min(quietUntil, endAt) - now);
    }
}
