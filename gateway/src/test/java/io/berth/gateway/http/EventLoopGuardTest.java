package io.berth.gateway.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The gateway's tests run with BlockHound installed (see gateway/pom.xml), so any blocking call
 * a request makes on a Netty event loop fails that test, file reads included. This proves the
 * guard is really on.
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

    @Test
    void fileReadOnEventLoop_failsUnderTheTestGuard(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("blob"), new byte[] {1, 2, 3});
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (FileChannel channel = FileChannel.open(file)) {
            Future<?> reading = group.submit(() -> channel.read(ByteBuffer.allocate(3), 0));
            ExecutionException e = assertThrows(ExecutionException.class, reading::get);
            assertEquals("reactor.blockhound.BlockingOperationError", e.getCause().getClass().getName());
        } finally {
            group.shutdownGracefully().syncUninterruptibly();
        }
    }
}
