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
        // Netty's default allocator briefly locks a magazine when it spreads contended allocations
        // over more of them; Netty's own integration allows the like for its other pooled allocator
        // (PoolArena.lock) but misses this one. Several connections reading at once get there.
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
    }
}
