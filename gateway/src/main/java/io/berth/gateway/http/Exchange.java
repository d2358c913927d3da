package io.berth.gateway.http;

import io.berth.gateway.auth.Access;
import io.berth.gateway.error.ErrorResponses;
import io.berth.gateway.mirror.MirrorRoute;
import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request and its one response. Handlers read the request from it, ask for its body
 * ({@link #collectBody} or {@link #streamBody}), run blocking work through {@link #blocking} (never
 * on the event loop), and answer with exactly one {@code send…} call or by throwing; a thrown
 * {@link RegistryException} becomes its OCI error body, anything else a 500 that says nothing of
 * the internals. Every method may be called from any thread.
 */
public final class Exchange implements Access.Target {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
    static final String API_VERSION = "registry/2.0";
    /** Names the {@code ns} a read was routed by (the distribution spec's proxying section). */
    static final String NAMESPACE_HEADER = "OCI-Namespace";

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final String routeName;
    private final Map<String, String> params;
    private final QueryStringDecoder query;
    private final ServerContext server;
    private final Connection connection;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean responded = new AtomicBoolean();
    private volatile Caller caller;
    private volatile MirrorRoute mirror;
    private volatile int status;
    private ByteBuf body;
    private long bodyReservation;

    /** What the exchange needs from the connection it runs on; every call is made on the event loop. */
    interface Connection {
        /** The response head is about to be written; returns whether the connection stays open after it. */
        boolean responseStarting(Exchange exchange, HttpResponse response);

        /** The response was written, or failed to be. */
        void responseDone(Exchange exchange, boolean success);

        /** The handler asks for the whole body. */
        void collectBody(Exchange exchange, BodyHandler handler);

        /** The handler asks for the body as a stream. */
        void streamBody(Exchange exchange, BodyConsumer consumer);
    }

    Exchange(ChannelHandlerContext ctx, HttpRequest request, String routeName, Map<String, String> params,
             QueryStringDecoder query, ServerContext server, Connection connection) {
        this.ctx = ctx;
        this.request = request;
        this.routeName = routeName;
        this.params = params;
        this.query = query;
        this.server = server;
        this.connection = connection;
    }

    public HttpMethod method() {
        return request.method();
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    /**
     * A named group of the route's path pattern; for a read a mirror mode routed, {@code name} is the
     * repository that serves it ({@link #requestedName} is the one the client wrote).
     */
    @Override
    public String param(String name) {
        MirrorRoute routed = mirror;
        if (routed != null && name.equals("name")) {
            return routed.served().value();
        }
        return params.get(name);
    }

    /** The repository name as the client wrote it in the path, for what the answer names (links, listings). */
    public String requestedName() {
        MirrorRoute routed = mirror;
        return routed != null ? routed.requested().value() : params.get("name");
    }

    /** The {@code ns} query parameter the read was routed by, or null (then links need not carry it). */
    public String namespace() {
        MirrorRoute routed = mirror;
        return routed == null ? null : routed.namespace();
    }

    /** How mirror modes routed this read, or null. */
    MirrorRoute mirror() {
        return mirror;
    }

    /** The read is served as {@code route} says; set before the access check. */
    void mirror(MirrorRoute route) {
        this.mirror = route;
    }

    /** The first value of a query parameter, or null. */
    @Override
    public String query(String name) {
        List<String> values = queryAll(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a query parameter, in order; empty when absent. */
    public List<String> queryAll(String name) {
        List<String> values;
        try {
            values = query.parameters().get(name);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(ErrorCode.BAD_REQUEST, "the query string is not valid percent-encoding: "
                    + e.getMessage(), null);
        }
        return values == null ? List.of() : values;
    }

    /**
     * Who is asking, as the access check admitted them: the store records it in the events of
     * what this request changes. Never null inside a handler.
     */
    public Caller caller() {
        return caller;
    }

    void caller(Caller caller) {
        this.caller = caller;
    }

    HttpRequest request() {
        return request;
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    // ---- the request body ----------------------------------------------------------------------

    /**
     * Reads the whole body into memory, up to the gateway's manifest size limit (413 beyond it),
     * then calls {@code handler} on the event loop; the body is valid until the response is sent.
     * A body that memory cannot be found for is refused with 503 and {@code Retry-After}.
     */
    public void collectBody(BodyHandler handler) {
        onLoop(() -> connection.collectBody(this, handler), () -> { });
    }

    /**
     * Reads the body on a blocking thread as it arrives. If the consumer fails before reading
     * everything, the failure is answered at once; the rest of the body is then dropped (a small
     * rest of known length keeps the connection, anything else closes it after the answer).
     */
    public void streamBody(BodyConsumer consumer) {
        onLoop(() -> connection.streamBody(this, consumer), () -> { });
    }

    /** The collected body now belongs to this exchange, with the memory reserved for it. */
    void adoptBody(ByteBuf body, long reservation) {
        this.body = body;
        this.bodyReservation = reservation;
    }

    /** Work that may block: runs on the blocking executor; failures are answered as errors. */
    public void blocking(BlockingWork work) {
        try {
            server.blocking().execute(() -> {
                try {
                    work.run();
                } catch (Throwable t) {
                    fail(t);
                }
            });
        } catch (RejectedExecutionException e) {
            sendError(ErrorCode.UNAVAILABLE, "the registry is shutting down", null);
        }
    }

    /** Blocking work of a handler. */
    @FunctionalInterface
    public interface BlockingWork {
        void run() throws Exception;
    }

    /** Reads a streamed body; see {@link #streamBody}. */
    @FunctionalInterface
    public interface BodyConsumer {
        void consume(BodyStream body) throws Exception;
    }

    /** Handles a body collected whole; see {@link #collectBody}. */
    @FunctionalInterface
    public interface BodyHandler {
        void handle(ByteBuf body) throws Exception;
    }

    // ---- the response ------------------------------------------------------------------------

    /** A response with headers and an empty body. */
    public static FullHttpResponse response(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    /** Sends a complete response; its Content-Length must already be set. */
    public void send(FullHttpResponse response) {
        if (!responded.compareAndSet(false, true)) {
            response.release();
            return;
        }
        onLoop(() -> {
            start(response, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(f -> finish(f.isSuccess()));
        }, response::release);
    }

    /**
     * Sends a head followed by {@code length} bytes of a file from {@code offset}. On plain HTTP a
     * file of {@link SendBuffers#MIN_LENGTH} or more is read on a blocking thread and written from
     * pooled buffers while {@link SendBuffers} has room, anything else goes zero-copy; under TLS it
     * is read on a blocking thread as {@link #sendStream} does. The file is closed when the transfer
     * ends.
     */
    public void sendFile(HttpResponse head, FileChannel file, long offset, long length) {
        if (server.tls()) {
            stream(head, BlockingSource.of(file, offset), length);
            return;
        }
        if (!responded.compareAndSet(false, true)) {
            closeQuietly(file);
            return;
        }
        onLoop(() -> {
            start(head, length);
            if (length >= SendBuffers.MIN_LENGTH && server.sendBuffers().tryReserve()) {
                ctx.writeAndFlush(head);
                streamInLargeChunks(BlockingSource.of(file, offset), length);
                return;
            }
            boolean corked = length >= TcpCork.MIN_LENGTH && TcpCork.engage(ctx.channel());
            ctx.write(head);
            ctx.write(new DefaultFileRegion(file, offset, length));
            ChannelFuture written = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (corked) {
                written.addListener(f -> TcpCork.release(ctx.channel())); // before finish: the next response may follow at once
            }
            written.addListener(f -> finish(f.isSuccess()));
        }, () -> closeQuietly(file));
    }

    /**
     * Sends a head followed by {@code length} bytes read from {@code source} on a blocking thread,
     * a bounded number of chunks ahead of the client, never the whole body in memory: a body of
     * {@link SendBuffers#MIN_LENGTH} or more in {@link SendBuffers}' chunks while they have room
     * (fewer, larger writes: a cold pull through a proxy project cost its client less CPU), else in
     * small ones. The source is closed at the end, or as soon as the client goes away.
     * {@code Content-Length} is set here.
     */
    public void sendStream(HttpResponse head, ReadableByteChannel source, long length) {
        stream(head, BlockingSource.of(source), length);
    }

    /** As {@link #sendStream(HttpResponse, ReadableByteChannel, long)}, from a stream. */
    public void sendStream(HttpResponse head, InputStream source, long length) {
        stream(head, BlockingSource.of(source), length);
    }

    private void stream(HttpResponse head, BlockingSource source, long length) {
        if (!responded.compareAndSet(false, true)) {
            closeQuietly(source);
            return;
        }
        HttpUtil.setContentLength(head, length);
        onLoop(() -> {
            start(head, length);
            if (length == 0 || HttpMethod.HEAD.equals(request.method())) {
                closeQuietly(source); // no body goes out: the codec drops any for a HEAD
                ctx.write(head);
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> finish(f.isSuccess()));
                return;
            }
            ctx.writeAndFlush(head);
            if (length >= SendBuffers.MIN_LENGTH && server.sendBuffers().tryReserve()) {
                streamInLargeChunks(source, length);
            } else {
                new StreamedResponse(ctx, source, length, server.blocking(), this::finish).start();
            }
        }, () -> closeQuietly(source));
    }

    /** Event loop, with one response's {@link SendBuffers} reserved: sends the body in their chunks. */
    private void streamInLargeChunks(BlockingSource source, long length) {
        new StreamedResponse(ctx, source, length, server.blocking(), success -> {
            server.sendBuffers().release();
            finish(success);
        }, SendBuffers.CHUNK, SendBuffers.IN_FLIGHT).start();
    }

    /** Answers with an error code and a message that says what to do. */
    public void sendError(ErrorCode error, String message, String detail) {
        send(ErrorResponses.of(error, message, detail));
    }

    /** Answers a failure: a registry failure with its code and headers, anything else as an internal error. */
    public void fail(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof RegistryException e) {
            send(ErrorResponses.of(e));
            return;
        }
        LOG.error("{} {} failed", request.method(), request.uri(), cause);
        sendError(ErrorCode.INTERNAL, "the registry failed to serve this request; see its log", null);
    }

    /** Event loop: the response head is about to go out. */
    private void start(HttpResponse response, long bodyBytes) {
        status = response.status().code();
        HttpUtil.setKeepAlive(response, connection.responseStarting(this, response));
        response.headers().set(API_VERSION_HEADER, API_VERSION);
        String namespace = namespace();
        if (namespace != null) {
            response.headers().set(NAMESPACE_HEADER, namespace);
        }
        server.metrics().sent(bodyBytes);
    }

    /** Event loop: the response is written, or failed to be. */
    private void finish(boolean success) {
        server.metrics().requestDone(routeName, status, System.nanoTime() - startNanos);
        releaseBody();
        connection.responseDone(this, success);
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
            server.budget().release(bodyReservation);
        }
    }

    /** Runs on the event loop; when it has stopped (the server is closing), {@code orElse} instead. */
    private void onLoop(Runnable task, Runnable orElse) {
        EventLoops.run(ctx.executor(), task, () -> {
            orElse.run();
            releaseBody();
        });
    }

    private static void closeQuietly(Closeable source) {
        try {
            source.close();
        } catch (IOException ignored) {
            // nothing to do: the source was only being read
        }
    }
}
