package io.berth.gateway.http;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.netty.buffer.ByteBuf;

import java.time.Duration;

/**
 * A small body (a manifest) collected whole in memory, up to a limit, then handed to the handler.
 * Its full size is taken from the body memory budget before the first byte is read: the declared
 * length, or the limit for a chunked body. Content is copied into one buffer as it arrives (a
 * composite of a chunk per piece re-copies itself every 64 pieces: a manifest sent in one-byte
 * chunks would cost the event loop gigabytes of copying).
 */
final class CollectedBody implements BodySink {
    /** How long a client refused for want of memory is asked to wait. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final int INITIAL_CHUNKED = 64 * 1024;

    private final Exchange exchange;
    private final Exchange.BodyHandler handler;
    private final BodyBudget budget;
    private final long limit;
    private ByteBuf collected;
    private long reserved;
    private boolean done;

    CollectedBody(Exchange exchange, Exchange.BodyHandler handler, BodyBudget budget, long limit) {
        this.exchange = exchange;
        this.handler = handler;
        this.budget = budget;
        this.limit = limit;
    }

    /**
     * Takes the memory for a body of {@code declaredLength} bytes (-1: unknown); the refusal to
     * answer with when it is over the limit or the memory is not there, else null.
     */
    RegistryException reserve(long declaredLength, GatewayMetrics metrics) {
        if (declaredLength > limit) {
            return tooLarge(declaredLength);
        }
        long size = declaredLength >= 0 ? declaredLength : limit;
        if (size > 0 && !budget.tryAcquire(size, true)) {
            metrics.bodyRefused();
            return RegistryException.retryLater(ErrorCode.UNAVAILABLE, "the registry holds as many request bodies in"
                    + " memory as it may; retry shortly", RETRY_AFTER);
        }
        reserved = size;
        // A declared length is allocated at once; a chunked body grows by doubling, up to the limit.
        int initial = (int) Math.min(declaredLength >= 0 ? declaredLength : INITIAL_CHUNKED, limit);
        collected = exchange.alloc().buffer(initial, (int) Math.min(Integer.MAX_VALUE, limit));
        return null;
    }

    @Override
    public boolean wantsMore() {
        return true;
    }

    @Override
    public void accept(ByteBuf content) {
        if (done) {
            return;
        }
        long size = (long) collected.readableBytes() + content.readableBytes();
        if (size > limit) {
            exchange.fail(tooLarge(size)); // aborts this sink on the way
            return;
        }
        collected.writeBytes(content, content.readerIndex(), content.readableBytes());
    }

    @Override
    public void end() {
        if (done) {
            return;
        }
        done = true;
        ByteBuf body = collected;
        collected = null;
        exchange.adoptBody(body, reserved);
        try {
            handler.handle(body);
        } catch (Exception e) {
            exchange.fail(e);
        }
    }

    @Override
    public void abort() {
        if (done) {
            return;
        }
        done = true;
        if (collected != null) {
            collected.release();
            collected = null;
        }
        budget.release(reserved);
    }

    @Override
    public boolean timeoutMeasuresPauses() {
        return false;
    }

    private RegistryException tooLarge(long size) {
        return new RegistryException(ErrorCode.MANIFEST_TOO_LARGE, "manifest body is at least " + size
                + " bytes; the limit is " + limit);
    }
}
