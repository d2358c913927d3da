package io.berth.gateway.http;

import io.netty.buffer.ByteBuf;

/**
 * Where the body of an admitted request goes once its handler asked for it: collected whole, or
 * streamed to a consumer thread. Used on the event loop only.
 */
interface BodySink {

    /** Whether the connection may read more of the body now; false holds reading back. */
    boolean wantsMore();

    /** A piece of the body; the sink retains what it keeps. */
    void accept(ByteBuf content);

    /** The whole body arrived. */
    void end();

    /**
     * The body will not be completed (answered without it, timed out, connection gone): the sink
     * lets go of what it holds. Does nothing after {@link #end()}, when the body belongs to the
     * handler.
     */
    void abort();

    /**
     * True when the body timeout measures a pause in the body's arrival (a stream of any length),
     * false when it bounds the arrival of the whole body (a body held in memory until complete).
     */
    boolean timeoutMeasuresPauses();
}
