package io.berth.gateway.http;

import io.berth.gateway.auth.Access;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.testing.Await;
import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.berth.gateway.testing.RawConnection.requestHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Response bodies from a source that blocks (a file under TLS, an object store's stream) are read
 * off the event loop, a bounded amount ahead of the client, and their source is closed when the
 * client goes away.
 */
class StreamedResponseTest {
    /** The sources served, by the id in their path. */
    private static final Map<String, CountingSource> SOURCES = new ConcurrentHashMap<>();

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer(AccessCheck.allowAll(),
            Route.of("test.stream", HttpMethod.GET, "/test/stream/(?<id>[a-z-]+)/(?<size>[0-9]+)", Access.none(), ex -> {
                long size = Long.parseLong(ex.param("size"));
                String gate = ex.query("gate");
                CountingSource source = new CountingSource(size, gate == null ? -1 : Long.parseLong(gate));
                SOURCES.put(ex.param("id"), source);
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
                if (ex.query("as") != null) {
                    ex.sendStream(head, source.asStream(), size);
                } else {
                    ex.sendStream(head, source, size);
                }
            }));

    @Test
    void streamedBody_arrivesWholeAndInOrder_andItsSourceIsClosed() throws IOException {
        int size = 20 << 20;
        try (RawConnection c = SERVER.connect()) {
            RawResponse response = c.exchange("GET", "/test/stream/whole/" + size);

            assertEquals(200, response.status());
            assertEquals(Integer.toString(size), response.header("Content-Length").orElseThrow());
            assertEquals(size, response.body().length);
            for (int i = 0; i < size; i++) {
                if (response.body()[i] != CountingSource.byteAt(i)) {
                    throw new AssertionError("byte " + i + " differs");
                }
            }
            assertEquals(200, c.exchange("GET", "/v2/").status(), "the connection serves the next request");
        }
        Await.until(SOURCES.get("whole")::closed, "the source closed");
    }

    @Test
    void streamedBodyFromAnInputStream_arrivesWhole() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            RawResponse response = c.exchange("GET", "/test/stream/input/300000?as=stream");
            assertEquals(300_000, response.body().length);
            assertEquals(CountingSource.byteAt(299_999), response.body()[299_999]);
        }
    }

    @Test
    void bytesATricklingSourceHasNow_goOutAtOnce_notWhenAWholeChunkIsThere() throws IOException {
        int size = 8 << 20; // large enough for the large chunks
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("GET", "/test/stream/trickle/" + size + "?gate=1000"));
            assertEquals(200, c.read(true).status());

            // The source holds at byte 1000 until the client has those: whole-chunk reads never sent them.
            byte[] first = c.readBytes(1000);
            SOURCES.get("trickle").open();
            byte[] rest = c.readBytes(size - 1000);

            assertEquals(CountingSource.byteAt(999), first[999]);
            assertEquals(CountingSource.byteAt(size - 1), rest[rest.length - 1]);
        }
    }

    @Test
    void clientThatReadsNothing_holdsTheSourceBack() throws IOException {
        long size = 1L << 30;
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("GET", "/test/stream/stalled/" + size));
            Await.until(() -> SOURCES.containsKey("stalled") && SOURCES.get("stalled").read() > 0, "the send started");
            CountingSource source = SOURCES.get("stalled");
            awaitSteady(source);

            // What the socket buffers take, and a few chunks: nothing like the whole gigabyte.
            assertTrue(source.read() < 64L << 20, "read " + source.read() + " bytes ahead of the client");
        }
        Await.until(SOURCES.get("stalled")::closed, "the source closed once the client went away");
    }

    @Test
    void clientThatGoesAwayMidDownload_releasesTheSource() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            c.send(requestHead("GET", "/test/stream/abandoned/" + (1L << 30)));
            Await.until(() -> SOURCES.containsKey("abandoned") && SOURCES.get("abandoned").read() > 0, "the send started");
        }
        Await.until(SOURCES.get("abandoned")::closed, "the source closed once the client went away");
    }

    @Test
    void headRequest_sendsNoBody_andClosesTheSource() throws IOException {
        try (RawConnection c = SERVER.connect()) {
            RawResponse head = c.exchange("HEAD", "/test/stream/head/5000");
            assertEquals(200, head.status());
            assertEquals("5000", head.header("Content-Length").orElseThrow());
            assertEquals(200, c.exchange("GET", "/v2/").status());
        }
        Await.until(SOURCES.get("head")::closed, "the source closed");
        assertEquals(0, SOURCES.get("head").read());
    }

    /** Waits until the source has not been read further for a while: the sender is held back. */
    private static void awaitSteady(CountingSource source) {
        long[] last = {-1};
        int[] steadyPolls = {0};
        Await.until(() -> {
            long now = source.read();
            steadyPolls[0] = now == last[0] ? steadyPolls[0] + 1 : 0;
            last[0] = now;
            return steadyPolls[0] >= 20;
        }, "the sender held back by the client");
    }

    /**
     * Deterministic bytes of a given length, counting what was read and whether it was closed; with
     * a gate, a read at that position waits until {@link #open} (a source that has no more yet).
     */
    static final class CountingSource implements ReadableByteChannel {
        private final long size;
        private final long gateAt;
        private final CountDownLatch gate = new CountDownLatch(1);
        private final AtomicLong position = new AtomicLong();
        private volatile boolean closed;

        CountingSource(long size, long gateAt) {
            this.size = size;
            this.gateAt = gateAt;
        }

        void open() {
            gate.countDown();
        }

        static byte byteAt(long i) {
            return (byte) (i * 31 + (i >>> 11));
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            long at = position.get();
            if (at >= size) {
                return -1;
            }
            long end = size;
            if (at < gateAt) {
                end = gateAt;
            } else if (at == gateAt) {
                awaitGate();
            }
            int n = (int) Math.min(dst.remaining(), end - at);
            for (int i = 0; i < n; i++) {
                dst.put(byteAt(at + i));
            }
            position.addAndGet(n);
            return n;
        }

        private void awaitGate() throws IOException {
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
        }

        InputStream asStream() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return CountingSource.this.read(ByteBuffer.wrap(b, off, len));
                }

                @Override
                public void close() {
                    CountingSource.this.close();
                }
            };
        }

        long read() {
            return position.get();
        }

        boolean closed() {
            return closed;
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
