package io.berth.gateway.http;

import io.berth.store.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A body streamed to a consumer thread ({@link BodyStream}), with the connection's reading held
 * back while the consumer falls behind (the stream's high-water mark).
 */
final class StreamedBody implements BodySink, BodyStream.Backpressure {
    private static final Logger LOG = LoggerFactory.getLogger(StreamedBody.class);
    private final EventExecutor loop;
    private final Runnable readingChanged;
    private final BodyStream stream;
    private boolean consumerBehind;
    private boolean done;

    /**
     * @param readingChanged called on the event loop when {@link #wantsMore()} may have turned true
     */
    StreamedBody(EventExecutor loop, Runnable readingChanged) {
        this.loop = loop;
        this.readingChanged = readingChanged;
        this.stream = new BodyStream(this);
    }

    BodyStream stream() {
        return stream;
    }

    /**
     * Runs the handler's consumer on a blocking thread; a failure is answered, and the stream is
     * closed when the consumer returns, letting go of any of the body it did not read.
     */
    void startConsumer(Exchange.BodyConsumer consumer, Exchange exchange, Executor blocking) {
        try {
            blocking.execute(() -> {
                try {
                    consumer.consume(stream);
                } catch (BodyStream.BodyAbortedException e) {
                    // The client went away, or the request was answered without the body.
                    LOG.debug("{} {}: {}", exchange.method(), exchange.request().uri(), e.getMessage());
                } catch (Throwable t) {
                    exchange.fail(t);
                } finally {
                    stream.close();
                }
            });
        } catch (RejectedExecutionException e) {
            stream.close();
            exchange.sendError(ErrorCode.UNAVAILABLE, "the registry is shutting down", null);
        }
    }

    @Override
    public boolean wantsMore() {
        return !consumerBehind;
    }

    @Override
    public void accept(ByteBuf content) {
        if (!done) {
            stream.offer(content.retain());
        }
    }

    @Override
    public void end() {
        if (!done) {
            done = true;
            stream.end();
        }
    }

    @Override
    public void abort() {
        if (!done) {
            done = true;
            stream.close();
        }
    }

    @Override
    public void pause() {
        consumerBehind = true;
    }

    @Override
    public void resume() {
        EventLoops.run(loop, () -> {
            consumerBehind = false;
            readingChanged.run();
        }, () -> { });
    }
}
