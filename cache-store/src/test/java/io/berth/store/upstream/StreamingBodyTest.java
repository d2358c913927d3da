package io.berth.store.upstream;

import io.berth.store.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The body stream on its own, fed by hand as the HTTP client would feed it. */
class StreamingBodyTest {
    /** Counts what the body asks of its publisher. */
    private static final class Subscription implements Flow.Subscription {
        final AtomicInteger requested = new AtomicInteger();
        final AtomicInteger cancelled = new AtomicInteger();

        @Override
        public void request(long n) {
            requested.addAndGet((int) n);
        }

        @Override
        public void cancel() {
            cancelled.incrementAndGet();
        }
    }

    private static StreamingBody body(long length, Subscription subscription) {
        StreamingBody body = new StreamingBody(length, Duration.ofSeconds(5), "http://127.0.0.1:1");
        body.onSubscribe(subscription);
        return body;
    }

    @Test
    void endBeforeContentLength_isAnError_notAShortEof() throws IOException {
        StreamingBody body = body(20, new Subscription());
        body.onNext(List.of(ByteBuffer.wrap(new byte[10])));
        body.onComplete();

        assertEquals(10, body.readNBytes(10).length);
        UpstreamException e = assertThrows(UpstreamException.class, body::read);
        assertEquals(Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("after 10 of its 20 bytes"), e.getMessage());
    }

    @Test
    void wholeBody_readsToTheEnd_keepingABoundedWindowOfBatchesAskedFor() throws IOException {
        Subscription subscription = new Subscription();
        StreamingBody body = body(6, subscription);
        assertEquals(StreamingBody.WINDOW, subscription.requested.get());
        body.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3})));
        body.onNext(List.of(ByteBuffer.wrap(new byte[] {4, 5, 6})));
        body.onComplete();

        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, body.readAllBytes());
        assertEquals(-1, body.read());
        assertEquals(StreamingBody.WINDOW + 2, subscription.requested.get(), "one more asked per batch consumed");
    }

    @Test
    void aRead_takesEveryBufferThatHasArrived_upToItsLength_andBlocksOnlyForTheFirst() throws IOException {
        StreamingBody body = body(7, new Subscription());
        body.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3})));
        body.onNext(List.of(ByteBuffer.wrap(new byte[] {4, 5})));
        byte[] into = new byte[4];

        assertEquals(4, body.read(into, 0, 4));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, into);
        assertEquals(1, body.read(into, 0, 4), "what has arrived, without waiting for more");
        body.onNext(List.of(ByteBuffer.wrap(new byte[] {6, 7})));
        body.onComplete();
        assertEquals(2, body.read(into, 0, 4));
        assertEquals(-1, body.read(into, 0, 4));
    }

    @Test
    void silence_failsWithTimeout_andDropsTheConnection() {
        Subscription subscription = new Subscription();
        StreamingBody body = new StreamingBody(-1, Duration.ofMillis(200), "http://127.0.0.1:1");
        body.onSubscribe(subscription);

        assertEquals(Kind.TIMEOUT, assertThrows(UpstreamException.class, body::read).kind());
        assertEquals(1, subscription.cancelled.get());
    }

    @Test
    void closeBeforeTheEnd_cancels_andRunsTheCloseActionsOnce() {
        Subscription subscription = new Subscription();
        StreamingBody body = body(100, subscription);
        AtomicInteger released = new AtomicInteger();
        body.onClose(released::incrementAndGet);

        body.close();
        body.close();
        assertEquals(1, subscription.cancelled.get());
        assertEquals(1, released.get());
        assertThrows(IOException.class, body::read);
    }

    @Test
    void transportError_failsTheRead() {
        StreamingBody body = body(100, new Subscription());
        body.onError(new IOException("connection reset"));

        UpstreamException e = assertThrows(UpstreamException.class, body::read);
        assertEquals(Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
    }

    @Test
    void readChunkByChunk_handsOverEachBufferAsItArrived_skippingEmptyOnes_thenTheEnd() throws IOException {
        Subscription subscription = new Subscription();
        StreamingBody body = body(6, subscription);
        body.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.allocate(0), ByteBuffer.wrap(new byte[] {3})));
        body.onNext(List.of(ByteBuffer.wrap(new byte[] {4, 5, 6})));
        body.onComplete();

        assertArrayEquals(new byte[] {1, 2}, bytes(body.nextChunk()));
        assertArrayEquals(new byte[] {3}, bytes(body.nextChunk()));
        assertArrayEquals(new byte[] {4, 5, 6}, bytes(body.nextChunk()));
        assertNull(body.nextChunk());
        assertEquals(6, body.received());
        assertEquals(StreamingBody.WINDOW + 2, subscription.requested.get(), "one more asked per batch consumed");
    }

    @Test
    void readChunkByChunk_afterARead_goesOnWhereTheReadStopped() throws IOException {
        StreamingBody body = body(5, new Subscription());
        body.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5})));
        body.onComplete();

        assertEquals(1, body.read());
        assertArrayEquals(new byte[] {2, 3, 4, 5}, bytes(body.nextChunk()));
        assertNull(body.nextChunk());
    }

    @Test
    void readChunkByChunk_aBodyEndingBeforeItsContentLength_failsInsteadOfEnding() throws IOException {
        StreamingBody body = body(20, new Subscription());
        body.onNext(List.of(ByteBuffer.wrap(new byte[10])));
        body.onComplete();

        assertEquals(10, body.nextChunk().remaining());
        UpstreamException e = assertThrows(UpstreamException.class, body::nextChunk);
        assertTrue(e.getMessage().contains("after 10 of its 20 bytes"), e.getMessage());
        assertThrows(UpstreamException.class, body::nextChunk, "the failure stays");
    }

    @Test
    void readChunkByChunk_ofAnyOtherStream_readsIntoOneBuffer() throws IOException {
        ChunkedBody chunks = ChunkedBody.of(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}), 2);

        assertArrayEquals(new byte[] {1, 2}, bytes(chunks.nextChunk()));
        assertArrayEquals(new byte[] {3, 4}, bytes(chunks.nextChunk()));
        assertArrayEquals(new byte[] {5}, bytes(chunks.nextChunk()));
        assertNull(chunks.nextChunk());
    }

    private static byte[] bytes(ByteBuffer chunk) {
        byte[] out = new byte[chunk.remaining()];
        chunk.get(out);
        return out;
    }
}
