package io.berth.store.proxy;

import io.berth.store.blob.BlobContent;
import io.berth.store.content.ContentSource;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

import static io.berth.store.proxy.FakeUpstream.GET_BLOB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * What the proxy's counters say after pulls, as the metrics show them: hits and misses, bytes a
 * client got from the cache or from a fill, fills running and the requests waiting on them.
 */
@OnH2AndPostgres
class ProxyCountersTest extends ProxyTestBase {
    private static final String LOCAL = PROJECT + "/library/app";
    private static final int GATE = 256 << 10;

    private final byte[] blob = new byte[1 << 20];
    private Digest digest;

    ProxyCountersTest(TestDatabase database) {
        super(database);
        new Random(7).nextBytes(blob);
    }

    /** A client's GET as the gateway makes it: the size (starting or joining the fill), then the span. */
    private BlobContent open(long offset, long length) throws IOException {
        ContentSource source = source(LOCAL);
        source.blobSizeToRead(digest).orElseThrow();
        return source.openBlob(digest, offset, length).orElseThrow();
    }

    private ProxyCounters counters() {
        return proxy.counters();
    }

    @Test
    void coldPull_countsAMissAFillAndBytesFromTheUpstream_thenAWarmPullCountsAHitAndBytesFromTheCache()
            throws Exception {
        digest = upstream.putBlob(blob);
        CountDownLatch gate = upstream.gateBlobsAt(GATE); // so the first client reads the spool file, not the store

        BlobContent cold = open(0, blob.length);
        gate.countDown();

        assertInstanceOf(BlobContent.Stream.class, cold);
        assertArrayEquals(blob, readAll(cold));
        assertEquals(1, counters().blobMisses());
        assertEquals(0, counters().blobHits());
        assertEquals(1, counters().blobFills());
        assertEquals(blob.length, counters().blobBytesFromUpstream());
        assertEquals(blob.length, counters().blobBytesFetched());
        assertEquals(0, counters().blobBytesFromCache());
        awaitFillsOver();

        BlobContent warm = open(0, blob.length);

        assertInstanceOf(BlobContent.LocalFile.class, warm);
        assertArrayEquals(blob, readAll(warm));
        assertEquals(1, counters().blobHits());
        assertEquals(1, counters().blobMisses());
        assertEquals(1, counters().blobFills(), "a cached blob is not fetched again");
        assertEquals(blob.length, counters().blobBytesFromCache());
        assertEquals(blob.length, counters().blobBytesFromUpstream());
        assertEquals(1, upstream.calls(GET_BLOB));
    }

    @Test
    void rangeOfACachedBlob_countsTheSpanItServes() throws Exception {
        digest = upstream.putBlob(blob);
        readAll(open(0, blob.length));
        awaitFillsOver();
        long fromCacheBefore = counters().blobBytesFromCache();

        byte[] span = readAll(open(1000, 5000));

        assertArrayEquals(Arrays.copyOfRange(blob, 1000, 6000), span);
        assertEquals(fromCacheBefore + 5000, counters().blobBytesFromCache());
    }

    @Test
    void readersOfAHeldFill_countAsWaitersOfOneRunningFill_untilTheyAreServed() throws Exception {
        digest = upstream.putBlob(blob);
        CountDownLatch gate = upstream.gateBlobsAt(GATE);
        CountDownLatch opened = new CountDownLatch(3);
        List<Future<byte[]>> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(executor.submit(() -> {
                BlobContent content = open(0, blob.length);
                opened.countDown();
                return readAll(content);
            }));
        }
        opened.await();

        assertEquals(1, counters().blobFillsRunning());
        assertEquals(3, counters().blobFillWaiters());
        assertEquals(3, counters().blobMisses());

        gate.countDown();
        for (Future<byte[]> reader : readers) {
            assertArrayEquals(blob, reader.get());
        }
        executor.close(); // waits for the fill to finish its commit

        assertEquals(0, counters().blobFillsRunning());
        assertEquals(0, counters().blobFillWaiters());
        assertEquals(1, counters().blobFills());
        assertEquals(3L * blob.length, counters().blobBytesFromUpstream(), "each reader got every byte from the fill");
        assertEquals(blob.length, counters().blobBytesFetched(), "the upstream sent the blob once");
    }

    @Test
    void manifestByTag_countsAMissThenAHit() throws Exception {
        upstreamImage("library/app", "1.0", image("counted"));

        source(LOCAL).manifest(Reference.parse("1.0"));
        source(LOCAL).manifest(Reference.parse("1.0"));

        assertEquals(1, counters().manifestMisses());
        assertEquals(1, counters().manifestHits());
    }
}
