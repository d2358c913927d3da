package io.berth.gateway.http;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static io.berth.gateway.http.ConnectionState.ADMITTED;
import static io.berth.gateway.http.ConnectionState.ADMITTING;
import static io.berth.gateway.http.ConnectionState.CLOSED;
import static io.berth.gateway.http.ConnectionState.DISCARDING;
import static io.berth.gateway.http.ConnectionState.LINGERING;
import static io.berth.gateway.http.ConnectionState.RECEIVING;
import static io.berth.gateway.http.ConnectionState.RESPONDING;

/**
 * One request on its connection, from its head to its answer: its admission, the body its handler
 * asks for, and what the connection does once it is answered. It moves its connection through
 * the states of {@link ConnectionState} from {@code ADMITTING} on. Event loop only; once the
 * connection has moved on to another request, whatever still comes for this one is ignored.
 */
final class RequestCycle implements Exchange.Connection {
    private static final Logger LOG = LoggerFactory.getLogger(RequestCycle.class);
    /**
     * The most of a body answered without it that is read and dropped to keep the connection: a
     * refused manifest push keeps it, a refused layer upload closes it (see {@link LingeringClose}).
     */
    static final long DISCARD_LIMIT = 1L << 20;

    private final RequestDispatcher connection;
    private final ServerContext server;
    private final Exchange exchange;
    /** The body's length from {@code Content-Length}, 0 when there is none, -1 when chunked. */
    private final long declaredLength;
    /** The client waits for {@code 100 Continue} before it sends the body. */
    private final boolean expectsContinue;
    private final BodyTimer bodyTimer;
    private boolean continueSent;
    private long received;
    private boolean bodyEnded;
    private BodySink sink;
    /** The connection cannot serve another request after this one (broken framing, a timeout). */
    private boolean lastOnConnection;
    private boolean closeAfterResponse;
    private boolean responseStarted;
    private boolean responseWritten;

    /**
     * A request whose head was routed ({@code params} of the route named {@code routeName}), or,
     * when {@code malformed}, one whose head the codec could not parse: that one is answered, and
     * the connection closes after it.
     */
    RequestCycle(RequestDispatcher connection, ServerContext server, ChannelHandlerContext ctx, HttpRequest request,
                 String routeName, Map<String, String> params, QueryStringDecoder uri, boolean malformed) {
        this.connection = connection;
        this.server = server;
        this.exchange = new Exchange(ctx, request, routeName, params, uri, server, this);
        this.declaredLength = malformed ? -1 : declaredLength(request);
        this.expectsContinue = !malformed && declaredLength != 0 && HttpUtil.is100ContinueExpected(request);
        this.bodyEnded = declaredLength == 0;
        this.lastOnConnection = malformed;
        this.bodyTimer = new BodyTimer(ctx.executor(), server.bodyTimeout(), this::bodyTimedOut);
    }

    /** The body's length: 0 when there is none, -1 when chunked (unknown until its end). */
    private static long declaredLength(HttpRequest request) {
        if (HttpUtil.isTransferEncodingChunked(request)) {
            return -1;
        }
        try {
            return HttpUtil.getContentLength(request, 0L);
        } catch (NumberFormatException e) {
            return -1; // the decoder refuses such heads; should one pass, its length is unknown
        }
    }

    Exchange exchange() {
        return exchange;
    }

    boolean bodyEnded() {
        return bodyEnded;
    }

    boolean responseStarted() {
        return responseStarted;
    }

    boolean responseWritten() {
        return responseWritten;
    }

    /** Whether the connection may read more of the body now. */
    boolean wantsBody() {
        return sink != null && sink.wantsMore();
    }

    /** The server holds reading back (or no longer): that time does not count against the client. */
    void readingHeld(boolean held) {
        bodyTimer.paused(held);
    }

    private boolean current() {
        return connection.current() == this && connection.state() != CLOSED;
    }

    // ---- admission -----------------------------------------------------------------------------

    /** The access check's decision, on the event loop; the connection may have moved on since. */
    void admitted(Route route, Throwable refusal) {
        if (!current() || connection.state() != ADMITTING) {
            return;
        }
        if (refusal != null) {
            exchange.fail(refusal);
        } else {
            connection.state(bodyEnded ? RESPONDING : ADMITTED);
            try {
                route.handler().handle(exchange);
            } catch (Exception e) {
                exchange.fail(e);
            }
        }
        connection.dispatch();
    }

    // ---- the body ---------------------------------------------------------------------------------

    @Override
    public void collectBody(Exchange ex, Exchange.BodyHandler handler) {
        if (!claimable()) {
            return;
        }
        CollectedBody collected = new CollectedBody(exchange, handler, server.budget(), server.maxSmallBody());
        RegistryException refusal = collected.reserve(bodyEnded ? 0 : declaredLength, server.metrics());
        if (refusal != null) {
            exchange.fail(refusal);
            return;
        }
        receive(collected);
    }

    @Override
    public void streamBody(Exchange ex, Exchange.BodyConsumer consumer) {
        if (!claimable()) {
            return;
        }
        StreamedBody streamed = new StreamedBody(connection.executor(), server.budget(), connection::updateReading);
        if (!bodyEnded) {
            streamed.start();
        }
        if (streamed.startConsumer(consumer, exchange, server.blocking())) {
            receive(streamed);
        }
    }

    private boolean claimable() {
        if (!current() || responseStarted) {
            return false; // the connection closed, or the request was answered meanwhile
        }
        if (sink != null || (connection.state() != ADMITTED && connection.state() != RESPONDING)) {
            LOG.warn("{} {}: the handler asked for the body twice", exchange.method(), exchange.request().uri());
            return false;
        }
        return true;
    }

    private void receive(BodySink body) {
        sink = body;
        if (bodyEnded) {
            body.end(); // no body: an empty one, at once
            return;
        }
        if (expectsContinue) {
            connection.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
            continueSent = true;
        }
        connection.state(RECEIVING);
        bodyTimer.start(body.timeoutMeasuresPauses());
        connection.dispatch();
    }

    /** A piece of this request's body, from the codec; the caller releases it. */
    void onContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            rejectMalformedBody(content.decoderResult().cause());
            return;
        }
        ByteBuf bytes = content.content();
        received += bytes.readableBytes();
        server.metrics().received(bytes.readableBytes());
        boolean last = content instanceof LastHttpContent;
        if (connection.state() == RECEIVING) {
            sink.accept(bytes);
            bodyTimer.progress();
            if (last && connection.state() == RECEIVING) { // accepting may have answered (too large)
                bodyEnded = true;
                bodyTimer.cancel();
                connection.state(RESPONDING);
                sink.end();
            }
        } else if (connection.state() == DISCARDING && last) {
            bodyEnded = true;
            bodyTimer.cancel();
            if (responseWritten) {
                connection.requestDone();
            } else {
                connection.state(RESPONDING);
            }
        }
    }

    /**
     * A body whose framing broke (a bad chunk header): what arrived is not the body the client
     * meant, so its sink is aborted (a streamed chunk is undone), the client gets a 400 if nothing
     * was answered yet, and the connection closes.
     */
    private void rejectMalformedBody(Throwable cause) {
        lastOnConnection = true;
        if (!responseStarted) {
            exchange.sendError(ErrorCode.BAD_REQUEST, "malformed request body: " + cause.getMessage(), null);
        } else if (connection.state() == DISCARDING) {
            connection.startLingering(responseWritten);
        }
    }

    private void bodyTimedOut() {
        if (!current()) {
            return;
        }
        server.metrics().bodyTimedOut();
        if (connection.state() == RECEIVING) {
            lastOnConnection = true;
            exchange.sendError(ErrorCode.REQUEST_TIMEOUT, "the request body did not arrive within "
                    + server.bodyTimeout() / 1_000_000_000 + " s; the registry stopped waiting for it", null);
        } else if (connection.state() == DISCARDING) {
            connection.close(); // the answer is out; the client never sent the rest of its body
        }
    }

    /** The connection is gone: a body still arriving is let go; a whole one stays with its handler. */
    void connectionClosed() {
        bodyTimer.cancel();
        if (sink != null && !bodyEnded) {
            sink.abort();
        }
    }

    // ---- the answer -----------------------------------------------------------------------------

    @Override
    public boolean responseStarting(Exchange ex, HttpResponse response) {
        if (!current()) {
            return false;
        }
        responseStarted = true;
        bodyTimer.cancel();
        boolean keepAlive = !lastOnConnection && !server.draining().get()
                && HttpUtil.isKeepAlive(exchange.request())
                && !response.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        if (bodyEnded) {
            connection.state(RESPONDING);
            closeAfterResponse = !keepAlive;
            return keepAlive;
        }
        // Answered before the whole body arrived: its sink lets go, and what is left of it is either
        // dropped on the way to the next request, or the connection closes gently.
        if (sink != null) {
            sink.abort();
        }
        long remaining = declaredLength < 0 ? -1 : declaredLength - received;
        boolean mayNotCome = expectsContinue && !continueSent; // the client may send it, or not, as it likes
        if (keepAlive && !mayNotCome && remaining >= 0 && remaining <= DISCARD_LIMIT) {
            connection.state(DISCARDING);
            bodyTimer.start(false);
            connection.dispatch(); // what of the body waited in the queue can go now, and reading resumes
            return connection.state() != LINGERING; // a broken chunk in the queue makes it close after all
        }
        connection.startLingering(false);
        return false;
    }

    @Override
    public void responseDone(Exchange ex, boolean success) {
        if (!current()) {
            return;
        }
        responseWritten = true;
        if (!success) {
            connection.close();
            return;
        }
        switch (connection.state()) {
            case RESPONDING -> {
                if (closeAfterResponse) {
                    connection.close();
                } else {
                    connection.requestDone();
                }
            }
            case DISCARDING -> {
                if (bodyEnded) {
                    connection.requestDone();
                }
            }
            case LINGERING -> connection.answerWritten();
            default -> {
                // an answer is only written from the states above
            }
        }
    }
}
