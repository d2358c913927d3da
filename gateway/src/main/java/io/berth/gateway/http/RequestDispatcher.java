package io.berth.gateway.http;

import io.berth.gateway.error.ErrorResponses;
import io.berth.store.error.ErrorCode;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;

import static io.berth.gateway.http.ConnectionState.ADMITTING;
import static io.berth.gateway.http.ConnectionState.AWAITING_HEAD;
import static io.berth.gateway.http.ConnectionState.CLOSED;
import static io.berth.gateway.http.ConnectionState.DISCARDING;
import static io.berth.gateway.http.ConnectionState.LINGERING;
import static io.berth.gateway.http.ConnectionState.RECEIVING;
import static io.berth.gateway.http.ConnectionState.RESPONDING;

/**
 * Serves the requests of one connection, one at a time, through the states of
 * {@link ConnectionState}: routes each head and starts its {@link RequestCycle}, which has it
 * admitted, feeds its body to the handler and decides what follows the answer. Messages the state
 * cannot take (pipelined requests, a body no one asked for yet) wait in order in an inbound queue,
 * and the connection reads from its socket only while nothing waits there and the state can take
 * more. Event loop only.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    /** Fired down every connection's pipeline when the server closes: finish the current request, then close. */
    static final Object DRAIN = new Object();

    private final ServerContext server;
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ConnectionState state = AWAITING_HEAD;
    private RequestCycle current;
    private LingeringClose lingering;
    /** The head just handled has no body: the codec's empty last content that follows it is not a body. */
    private boolean skipEmptyLast;
    private boolean dispatching;

    RequestDispatcher(ServerContext server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        server.metrics().connectionOpened();
        super.channelActive(ctx);
        if (server.draining().get()) {
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == LINGERING || state == CLOSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        inbound.add(msg);
        dispatch();
    }

    /** Handles queued messages for as long as the state takes them, then sets reading accordingly. */
    void dispatch() {
        if (dispatching) {
            return; // called back from within the loop below, which goes on in the new state
        }
        dispatching = true;
        try {
            Object msg;
            while ((msg = inbound.peek()) != null && accepts(msg)) {
                inbound.poll();
                try {
                    handle(msg);
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }
        } finally {
            dispatching = false;
        }
        updateReading();
    }

    private boolean accepts(Object msg) {
        if (msg instanceof HttpRequest) {
            return state == AWAITING_HEAD;
        }
        if (msg instanceof LastHttpContent && skipEmptyLast) {
            return true;
        }
        if (msg instanceof HttpContent) {
            return state == RECEIVING || state == DISCARDING || current == null;
        }
        return true; // nothing else comes from the codec; dropped
    }

    private void handle(Object msg) {
        if (msg instanceof HttpRequest request) {
            onHead(request);
        } else if (msg instanceof LastHttpContent && skipEmptyLast) {
            skipEmptyLast = false;
        } else if (msg instanceof HttpContent content && current != null) {
            current.onContent(content);
        }
    }

    private void onHead(HttpRequest request) {
        skipEmptyLast = false;
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        state = ADMITTING;
        if (request.decoderResult().isFailure()) {
            // Malformed framing: the rest of the connection cannot be trusted, so answer and close.
            Throwable cause = request.decoderResult().cause();
            current = new RequestCycle(this, server, ctx, request, "malformed", Map.of(), uri, true);
            if (cause instanceof TooLongHttpLineException) {
                current.exchange().sendError(ErrorCode.URI_TOO_LONG, "the request line is longer than the registry"
                        + " reads (" + cause.getMessage() + "): use a shorter URI, e.g. fewer ?tag= parameters", null);
            } else if (cause instanceof TooLongHttpHeaderException) {
                current.exchange().sendError(ErrorCode.HEADERS_TOO_LARGE, "the request headers are larger than the"
                        + " registry reads: " + cause.getMessage(), null);
            } else {
                current.exchange().sendError(ErrorCode.BAD_REQUEST, "malformed HTTP request: " + cause.getMessage(),
                        null);
            }
            return;
        }
        Router.Match match = server.router().match(request.method(), uri.rawPath());
        Route route = match.route();
        current = new RequestCycle(this, server, ctx, request, route == null ? "unmatched" : route.name(),
                match.params(), uri, false);
        Exchange exchange = current.exchange();
        skipEmptyLast = current.bodyEnded();
        if (route == null) {
            FullHttpResponse response = ErrorResponses.of(match.error(), null, null);
            if (!match.allowed().isEmpty()) {
                response.headers().set(HttpHeaderNames.ALLOW, String.join(", ", match.allowed()));
            }
            exchange.send(response);
            return;
        }
        RequestCycle cycle = current;
        AccessStep.run(route, exchange, uri, ctx, server, (r, ex, refusal) -> cycle.admitted(r, refusal));
    }

    // ---- what the request cycle does to the connection -----------------------------------------

    ConnectionState state() {
        return state;
    }

    void state(ConnectionState next) {
        state = next;
    }

    RequestCycle current() {
        return current;
    }

    EventExecutor executor() {
        return ctx.executor();
    }

    void write(Object message) {
        ctx.writeAndFlush(message);
    }

    /** The request is done, its answer written: on to the next, unless the server is closing. */
    void requestDone() {
        current = null;
        state = AWAITING_HEAD;
        if (server.draining().get()) {
            ctx.close();
            return;
        }
        dispatch();
    }

    /** Closes gently (see {@link LingeringClose}); {@code answerWritten} when the answer is out already. */
    void startLingering(boolean answerWritten) {
        state = LINGERING;
        releaseInbound();
        skipEmptyLast = false;
        server.metrics().lingered();
        lingering = LingeringClose.start(ctx);
        if (answerWritten) {
            lingering.answerWritten();
        }
    }

    /** The answer of a lingering connection is written. */
    void answerWritten() {
        lingering.answerWritten();
    }

    void close() {
        ctx.close();
    }

    /** Reads from the socket exactly when the state can take what comes and nothing waits in the queue. */
    void updateReading() {
        boolean read = inbound.isEmpty() && switch (state) {
            case AWAITING_HEAD, DISCARDING, LINGERING -> true;
            case RECEIVING -> current.wantsBody();
            default -> false;
        };
        if (state == RECEIVING) {
            current.readingHeld(!read);
        }
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead() != read) {
            config.setAutoRead(read);
        }
    }

    // ---- the connection ---------------------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (idleMeansGone()) {
                LOG.debug("closing idle connection {}", ctx.channel().remoteAddress());
                ctx.close();
            }
            return;
        }
        if (evt == DRAIN) {
            if (state == AWAITING_HEAD || (state == LINGERING && current.responseWritten())) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * Whether silence on the connection is the client's doing: between requests, or while an
     * answer is being written. Not while the registry itself works (an access check, a handler's
     * blocking work) or holds reading back; bodies and lingering have timeouts of their own.
     */
    private boolean idleMeansGone() {
        return state == AWAITING_HEAD || (state == RESPONDING && current.responseStarted());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        state = CLOSED;
        if (current != null) {
            current.connectionClosed();
        }
        releaseInbound();
        server.metrics().connectionClosed();
        super.channelInactive(ctx);
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

    private void releaseInbound() {
        inbound.forEach(ReferenceCountUtil::release);
        inbound.clear();
    }
}
