package io.berth.gateway.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The gateway's tests run with BlockHound installed (see gateway/pom.xml), so any blocking call
 * a request makes on a Netty event loop fails that test. This proves the guard is really on.
 */
class EventLoopGuardTest {

    @Test
    void blockingCallOnEventLoop_failsUnderTheTestGuard() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Future<?> sleeping = group.submit(() -> {
                Thread.sleep(1);
                return null;
            });
            ExecutionException e = assertThrows(ExecutionException.class, sleeping::get);
            assertEquals("reactor.blockhound.BlockingOperationError", e.getCause().getClass().getName());
        } finally {
            group.shutdownGracefully().syncUninterruptibly();
        }
    }
}
