package io.berth.gateway.http;

import io.berth.gateway.error.ErrorResponses;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
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
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request and its one response. Handlers read the request from it, run blocking work through
 * {@link #blocking} (never on the event loop), and answer with exactly one {@code send…} call or
 * by throwing; a thrown {@link RegistryException} becomes its OCI error body, anything else a 500
 * that says nothing of the internals.
 */
public final class Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
    static final String API_VERSION = "registry/2.0";

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final Map<String, String> params;
    private final QueryStringDecoder query;
    private final Executor blockingExecutor;
    private final Connection connection;
    private final boolean tls;
    private final String routeName;
    private final GatewayMetrics metrics;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean responded = new AtomicBoolean();
    private volatile int status;
    private volatile boolean closeAfterResponse;
    private ByteBuf body;
    private BodyStream stream;

    /** What the exchange needs from the connection it runs on. */
    interface Connection {
        /** Called on the event loop once the response was written (or failed to be). */
        void responseDone(boolean keepAlive, boolean success);

        /** A body stream wired to this connection's backpressure. */
        BodyStream newBodyStream();
    }

    Exchange(ChannelHandlerContext ctx, HttpRequest request, String routeName, Map<String, String> params,
             QueryStringDecoder query, Executor blockingExecutor, Connection connection, boolean tls,
             GatewayMetrics metrics) {
        this.routeName = routeName;
        this.metrics = metrics;
        this.ctx = ctx;
        this.request = request;
        this.params = params;
        this.query = query;
        this.blockingExecutor = blockingExecutor;
        this.connection = connection;
        this.tls = tls;
    }

    public HttpMethod method() {
        return request.method();
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    /** A named group of the route's path pattern. */
    public String param(String name) {
        return params.get(name);
    }

    /** The first value of a query parameter, or null. */
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

    /** The collected body of a {@link Route.BodyMode#SMALL} route; valid until the response. */
    public ByteBuf body() {
        return body;
    }

    void body(ByteBuf body) {
        this.body = body;
    }

    BodyStream stream() {
        return stream;
    }

    /** Work that may block: runs on the blocking executor; failures are answered as errors. */
    public void blocking(BlockingWork work) {
        blockingExecutor.execute(() -> {
            try {
                work.run();
            } catch (Throwable t) {
                fail(t);
            }
        });
    }

    /**
     * Reads a {@link Route.BodyMode#STREAM} body on a blocking thread. If the consumer fails
     * before reading everything, the rest of the body is drained before the error is answered,
     * so the connection stays usable.
     */
    public void streamBody(BodyConsumer consumer) {
        BodyStream s = connection.newBodyStream();
        this.stream = s;
        blockingExecutor.execute(() -> {
            try {
                consumer.consume(s);
            } catch (BodyStream.BodyAbortedException e) {
                // The connection is closing (client gone, or a malformed body already answered).
                LOG.debug("{} {}: {}", request.method(), request.uri(), e.getMessage());
            } catch (Throwable t) {
                if (s.drain()) {
                    fail(t);
                }
            }
        });
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
        boolean keepAlive = prepare(response);
        metrics.sent(response.content().readableBytes());
        ChannelFuture written = ctx.writeAndFlush(response);
        written.addListener(f -> finish(keepAlive, f.isSuccess()));
    }

    /**
     * Sends a head followed by {@code length} bytes of a file from {@code offset}: zero-copy
     * without TLS, in chunks under TLS. The file is closed when the transfer ends.
     */
    public void sendFile(HttpResponse head, FileChannel file, long offset, long length) {
        if (!responded.compareAndSet(false, true)) {
            closeQuietly(file);
            return;
        }
        boolean keepAlive = prepare(head);
        metrics.sent(length);
        boolean corked = !tls && length >= TcpCork.MIN_LENGTH && TcpCork.engage(ctx.channel());
        ctx.write(head);
        ChannelFuture written;
        if (tls) {
            try {
                written = ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(file, offset, length, 64 * 1024)));
            } catch (IOException e) {
                closeQuietly(file);
                ctx.close();
                return;
            }
        } else {
            ctx.write(new DefaultFileRegion(file, offset, length));
            written = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (corked) {
                written.addListener(f -> TcpCork.release(ctx.channel())); // before finish: the next response may follow at once
            }
        }
        written.addListener(f -> finish(keepAlive, f.isSuccess()));
    }

    /**
     * Sends a head followed by exactly {@code length} bytes read from {@code source}, which is read
     * on the calling (blocking) thread into pooled buffers and written with a bounded number of
     * chunks in flight, so a slow client holds back the reads instead of filling memory. The source
     * is closed at the end, or when the client goes away.
     */
    public void sendStream(HttpResponse head, ReadableByteChannel source, long length) throws IOException {
        try (ReadableByteChannel in = source) {
            if (!responded.compareAndSet(false, true)) {
                return;
            }
            boolean keepAlive = prepare(head);
            metrics.sent(length);
            ctx.writeAndFlush(head);
            Semaphore window = new Semaphore(STREAM_WINDOW);
            long left = length;
            while (left > 0 && ctx.channel().isActive()) {
                window.acquireUninterruptibly();
                ByteBuf chunk = ctx.alloc().directBuffer((int) Math.min(STREAM_CHUNK, left));
                try {
                    while (chunk.isWritable()) {
                        int before = chunk.writerIndex();
                        ByteBuffer target = chunk.nioBuffer(before, chunk.writableBytes());
                        int n = in.read(target);
                        if (n > 0) {
                            chunk.writerIndex(before + n);
                        }
                        if (n < 0) {
                            throw new IOException("blob stream ended " + (left - chunk.readableBytes())
                                    + " bytes early");
                        }
                    }
                } catch (IOException e) {
                    chunk.release();
                    ctx.close(); // the client saw a head promising more: only a closed connection tells it
                    throw e;
                }
                left -= chunk.readableBytes();
                ctx.writeAndFlush(new DefaultHttpContent(chunk)).addListener(f -> window.release());
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> finish(keepAlive, f.isSuccess()));
        }
    }

    /** Chunks of a streamed response, and how many may wait in the socket's outbound buffer. */
    private static final int STREAM_CHUNK = 64 * 1024;
    private static final int STREAM_WINDOW = 16;

    /** Answers with an error code and a message that says what to do. */
    public void sendError(ErrorCode error, String message, String detail) {
        send(ErrorResponses.of(error, message, detail));
    }

    /** Answers a failure: a registry failure with its code and headers, anything else as an internal error. */
    public void fail(Throwable t) {
        if (t instanceof RegistryException e) {
            send(ErrorResponses.of(e));
            return;
        }
        LOG.error("{} {} failed", request.method(), request.uri(), t);
        sendError(ErrorCode.INTERNAL, "the registry failed to serve this request; see its log", null);
    }

    /** The connection closes once the response is written. */
    void closeAfterResponse() {
        closeAfterResponse = true;
    }

    boolean responded() {
        return responded.get();
    }

    private boolean prepare(HttpResponse response) {
        status = response.status().code();
        boolean keepAlive = !closeAfterResponse && HttpUtil.isKeepAlive(request)
                && !response.headers().contains(HttpHeaderNames.CONNECTION, "close", true);
        HttpUtil.setKeepAlive(response, keepAlive);
        response.headers().set(API_VERSION_HEADER, API_VERSION);
        return keepAlive;
    }

    private void finish(boolean keepAlive, boolean success) {
        metrics.requestDone(routeName, status, System.nanoTime() - startNanos);
        ReferenceCountUtil.safeRelease(body);
        body = null;
        connection.responseDone(keepAlive, success);
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing to do: the file was only being read
        }
    }
}
