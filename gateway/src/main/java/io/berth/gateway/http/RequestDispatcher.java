package io.berth.gateway.http;

import io.berth.gateway.error.ErrorResponses;
import io.berth.store.error.ErrorCode;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Reads requests off one connection, routes each, and feeds its body to the route the way the
 * route asks: dropped, collected (small bodies only, with a limit) or streamed. One request is
 * served at a time: reading pauses from the end of a request until its response is written, and
 * requests a client pipelines meanwhile wait their turn.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter implements Exchange.Connection {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Router router;
    private final Executor blockingExecutor;
    private final long maxSmallBody;
    private final boolean tls;
    private final GatewayMetrics metrics;

    private ChannelHandlerContext ctx;
    private Exchange exchange;
    private Route.BodyMode mode;
    /**
     * An answer known from the request head: given once the body has been read and dropped, or at
     * once (closing the connection) when the client waits for {@code 100 Continue}.
     */
    private Throwable earlyFailure;
    private ErrorCode earlyError;
    private Set<String> earlyAllowed = Set.of();
    private Route pendingRoute;
    private CompositeByteBuf collected;
    private boolean ignoreRest;
    private boolean awaitingResponse;
    private boolean backpressured;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();

    RequestDispatcher(Router router, Executor blockingExecutor, long maxSmallBody, boolean tls, GatewayMetrics metrics) {
        this.router = router;
        this.metrics = metrics;
        this.blockingExecutor = blockingExecutor;
        this.maxSmallBody = maxSmallBody;
        this.tls = tls;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingResponse || !pipelined.isEmpty()) {
            pipelined.add(msg);
            return;
        }
        process(msg);
    }

    /** Handles one message of the current request and releases it. */
    private void process(Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                onRequest(request);
            }
            if (msg instanceof HttpContent content && !ignoreRest) {
                if (content.decoderResult().isFailure()) {
                    rejectMalformedBody(content.decoderResult().cause());
                } else {
                    onContent(content);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(HttpRequest request) {
        earlyError = null;
        earlyAllowed = Set.of();
        earlyFailure = null;
        ignoreRest = false;
        if (request.decoderResult().isFailure()) {
            rejectMalformed(request);
            return;
        }
        readHead(request);
        if (!ignoreRest && HttpUtil.is100ContinueExpected(request)) {
            if (earlyError != null || earlyFailure != null) {
                rejectBeforeBody();
            } else {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                        Unpooled.EMPTY_BUFFER));
            }
        }
    }

    /** Routes the request and prepares for its body; errors known from the head are noted. */
    private void readHead(HttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        Router.Match match = router.match(request.method(), uri.rawPath());
        exchange = new Exchange(ctx, request, match.route() == null ? "unmatched" : match.route().name(),
                match.params(), uri, blockingExecutor, this, tls, metrics);
        if (match.route() == null) {
            mode = Route.BodyMode.NONE;
            earlyError = match.error();
            earlyAllowed = match.allowed();
            return;
        }
        mode = match.route().bodyMode();
        if (mode == Route.BodyMode.SMALL) {
            long declared = HttpUtil.getContentLength(request, -1L);
            if (declared > maxSmallBody) {
                rejectTooLarge(declared);
                return;
            }
            collected = ctx.alloc().compositeBuffer(64);
        }
        if (mode == Route.BodyMode.STREAM) {
            try {
                match.route().handler().handle(exchange);
            } catch (Exception e) {
                earlyFailure = e;
            }
            if (exchange.stream() == null) {
                // A streaming route answers only after reading its body, or fails at the head.
                mode = Route.BodyMode.NONE;
                if (earlyFailure == null) {
                    earlyFailure = new IllegalStateException(request.method() + " " + uri.rawPath()
                            + ": streaming route did not read its body");
                }
            }
        }
        pendingRoute = match.route();
    }

    private void onContent(HttpContent content) {
        metrics.received(content.content().readableBytes());
        switch (mode) {
            case SMALL -> {
                if (collected.readableBytes() + content.content().readableBytes() > maxSmallBody) {
                    rejectTooLarge(collected.readableBytes() + content.content().readableBytes());
                    return;
                }
                collected.addComponent(true, content.content().retain());
            }
            case STREAM -> exchange.stream().offer(content.content().retain());
            case NONE -> { }
        }
        if (content instanceof LastHttpContent) {
            onRequestComplete();
        }
    }

    private void onRequestComplete() {
        awaitingResponse = true;
        updateAutoRead();
        if (mode == Route.BodyMode.STREAM) {
            exchange.stream().end();
            return;
        }
        if (earlyError != null || earlyFailure != null) {
            answerEarly();
            return;
        }
        if (exchange.responded()) {
            return;
        }
        if (mode == Route.BodyMode.SMALL) {
            exchange.body(collected);
            collected = null;
        }
        try {
            pendingRoute.handler().handle(exchange);
        } catch (Exception e) {
            exchange.fail(e);
        }
    }

    /** Answers an error known from the request head. */
    private void answerEarly() {
        if (earlyError != null) {
            FullHttpResponse response = ErrorResponses.of(earlyError, null, null);
            if (!earlyAllowed.isEmpty()) {
                response.headers().set(HttpHeaderNames.ALLOW, String.join(", ", earlyAllowed));
            }
            exchange.send(response);
        } else {
            exchange.fail(earlyFailure);
        }
    }

    /**
     * The client waits for {@code 100 Continue} before sending a body the head already condemns:
     * answer now instead, and close, since it may or may not send the body after all.
     */
    private void rejectBeforeBody() {
        ignoreRest = true;
        awaitingResponse = true;
        updateAutoRead();
        exchange.closeAfterResponse();
        answerEarly();
    }

    /**
     * A body whose framing broke (a bad chunk header): what arrived is not the body the client
     * meant, so a streaming consumer is aborted (its chunk is undone), the client gets a 400 if
     * nothing was answered yet, and the connection closes.
     */
    private void rejectMalformedBody(Throwable cause) {
        ignoreRest = true;
        awaitingResponse = true;
        updateAutoRead();
        releaseCollected();
        if (exchange.stream() != null) {
            exchange.stream().abort();
        }
        exchange.closeAfterResponse();
        exchange.sendError(ErrorCode.BAD_REQUEST, "malformed request body: " + cause.getMessage(), null);
    }

    /** Malformed framing: the rest of the connection cannot be trusted, so answer and close. */
    private void rejectMalformed(HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        String message = cause instanceof TooLongFrameException
                ? "request line or headers are too long: " + cause.getMessage()
                : "malformed HTTP request: " + cause.getMessage();
        FullHttpResponse response = ErrorResponses.of(ErrorCode.BAD_REQUEST, message, null);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        response.headers().set(Exchange.API_VERSION_HEADER, Exchange.API_VERSION);
        ignoreRest = true;
        awaitingResponse = true;
        updateAutoRead();
        ctx.writeAndFlush(response).addListener(f -> ctx.close());
    }

    /** A body over the limit is not read at all: answer at once and close. */
    private void rejectTooLarge(long size) {
        releaseCollected();
        ignoreRest = true;
        awaitingResponse = true;
        updateAutoRead();
        FullHttpResponse response = ErrorResponses.of(ErrorCode.MANIFEST_TOO_LARGE, "manifest body is at least "
                + size + " bytes; the limit is " + maxSmallBody, null);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        exchange.send(response);
    }

    @Override
    public void responseDone(boolean keepAlive, boolean success) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> responseDone(keepAlive, success));
            return;
        }
        if (!keepAlive || !success || ignoreRest) {
            ctx.close();
            return;
        }
        exchange = null;
        pendingRoute = null;
        awaitingResponse = false;
        updateAutoRead();
        // process, not channelRead: channelRead queues behind a non-empty queue, so going through
        // it would put each message back at the end and never drain two or more.
        while (!awaitingResponse && !pipelined.isEmpty()) {
            process(pipelined.poll());
        }
        ctx.read();
    }

    @Override
    public BodyStream newBodyStream() {
        return new BodyStream(new BodyStream.Backpressure() {
            @Override
            public void pause() {
                backpressured = true;
                updateAutoRead();
            }

            @Override
            public void resume() {
                ctx.executor().execute(() -> {
                    backpressured = false;
                    updateAutoRead();
                    ctx.read();
                });
            }
        });
    }

    private void updateAutoRead() {
        ctx.channel().config().setAutoRead(!awaitingResponse && !backpressured);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        metrics.connectionOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        metrics.connectionClosed();
        if (exchange != null && exchange.stream() != null) {
            exchange.stream().abort();
        }
        releaseCollected();
        pipelined.forEach(ReferenceCountUtil::release);
        pipelined.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            LOG.debug("closing idle connection {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private void releaseCollected() {
        if (collected != null) {
            collected.release();
            collected = null;
        }
    }

}
