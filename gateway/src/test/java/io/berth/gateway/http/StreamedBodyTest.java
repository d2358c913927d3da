package io.berth.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploads that share a body memory budget too small for all of them at once, each fed from its
 * event loop as a connection would be and read by its own consumer thread: each reads only on
 * credit, waits for memory otherwise, and is woken when some is freed.
 */
class StreamedBodyTest {
    private static final int READ = BodyBudget.READ_SIZE;

    @Test
    void uploadsOverATightBudget_allArriveWhole_neverHoldMoreThanTheBudget_andGiveItAllBack() throws Exception {
        BodyBudget budget = new BodyBudget(6L * READ, 2L * READ); // four reads at once for eight uploads
        int uploads = 8;
        int chunks = 500;
        AtomicLong mostHeld = new AtomicLong();
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (ExecutorService consumers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Long>> received = new ArrayList<>();
            for (int u = 0; u < uploads; u++) {
                received.add(new Upload(loops.next(), budget, chunks, mostHeld).start(consumers));
            }
            for (CompletableFuture<Long> upload : received) {
                assertEquals((long) chunks * READ, upload.get(60, TimeUnit.SECONDS));
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        assertTrue(mostHeld.get() <= 4L * READ, "held " + mostHeld.get() + " bytes, past the uploads' share");
        assertEquals(0, budget.used(), "all memory came back");
    }

    /** One connection's side: feeds a chunk whenever the sink lets it read, until the body ends. */
    private static final class Upload {
        private final EventLoop loop;
        private final BodyBudget budget;
        private final int chunks;
        private final AtomicLong mostHeld;
        private StreamedBody sink;
        private int sent;

        Upload(EventLoop loop, BodyBudget budget, int chunks, AtomicLong mostHeld) {
            this.loop = loop;
            this.budget = budget;
            this.chunks = chunks;
            this.mostHeld = mostHeld;
        }

        CompletableFuture<Long> start(ExecutorService consumers) {
            CompletableFuture<StreamedBody> created = new CompletableFuture<>();
            loop.execute(() -> {
                sink = new StreamedBody(loop, budget, this::feed);
                sink.start();
                created.complete(sink);
                feed();
            });
            return created.thenApplyAsync(s -> consume(s.stream()), consumers);
        }

        private void feed() {
            while (sent < chunks && sink.wantsMore()) {
                ByteBuf chunk = Unpooled.directBuffer(READ).writeZero(READ);
                sink.accept(chunk);
                chunk.release();
                mostHeld.accumulateAndGet(budget.used(), Math::max);
                if (++sent == chunks) {
                    sink.end();
                }
            }
        }

        private static long consume(BodyStream stream) {
            long bytes = 0;
            try {
                ByteBuf chunk;
                while ((chunk = stream.next()) != null) {
                    bytes += chunk.readableBytes();
                    chunk.release();
                }
            } catch (BodyStream.BodyAbortedException e) {
                throw new AssertionError(e);
            }
            return bytes;
        }
    }
}
