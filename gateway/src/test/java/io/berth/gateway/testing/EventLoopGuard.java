package io.berth.gateway.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The gateway tests' adjustments to BlockHound, which fails a test on any blocking call made on a
 * Netty event loop (installed for every test, see gateway/pom.xml).
 */
public final class EventLoopGuard implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // Reading a file is blocking I/O whatever the JDK calls it: under TLS, blob files must be
        // read off the event loop. (Zero-copy transferTo is what sendfile does, and stays allowed.)
        builder.markAsBlocking("sun.nio.ch.FileChannelImpl", "read", "(Ljava/nio/ByteBuffer;)I");
        builder.markAsBlocking("sun.nio.ch.FileChannelImpl", "read", "(Ljava/nio/ByteBuffer;J)I");
        // Netty's default allocator briefly locks a magazine when it spreads contended allocations
        // over more of them; Netty's own integration allows the like for its other pooled allocator
        // (PoolArena.lock) but misses this one. Several connections reading at once get there.
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
    }
}
