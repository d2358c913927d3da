package io.berth.gateway.http;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;

/** A small body (a manifest) collected whole in memory, up to a limit, then handed to the handler. */
final class CollectedBody implements BodySink {
    private final Exchange exchange;
    private final Exchange.BodyHandler handler;
    private final long limit;
    private CompositeByteBuf collected;
    private boolean done;

    CollectedBody(Exchange exchange, Exchange.BodyHandler handler, long limit) {
        this.exchange = exchange;
        this.handler = handler;
        this.limit = limit;
    }

    /**
     * Prepares for a body of {@code declaredLength} bytes (-1: unknown); the refusal to answer
     * with when it is over the limit, else null.
     */
    RegistryException prepare(long declaredLength) {
        if (declaredLength > limit) {
            return tooLarge(declaredLength);
        }
        collected = exchange.alloc().compositeBuffer(64);
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
        collected.addComponent(true, content.retain());
    }

    @Override
    public void end() {
        if (done) {
            return;
        }
        done = true;
        ByteBuf body = collected;
        collected = null;
        exchange.adoptBody(body);
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
    }

    private RegistryException tooLarge(long size) {
        return new RegistryException(ErrorCode.MANIFEST_TOO_LARGE, "manifest body is at least " + size
                + " bytes; the limit is " + limit);
    }
}
