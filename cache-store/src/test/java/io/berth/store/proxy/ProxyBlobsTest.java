package io.berth.store.proxy;

import io.berth.store.blob.BlobContent;
import io.berth.store.content.ContentSource;
import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Digest;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import io.berth.store.upstream.UpstreamException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

import static io.berth.store.proxy.FakeUpstream.GET_BLOB;
import static io.berth.store.proxy.FakeUpstream.HEAD_BLOB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blobs through a proxy project: single-flight fills, spool readers, verification; on both databases. */
@OnH2AndPostgres
class ProxyBlobsTest extends ProxyTestBase {
    private static final String LOCAL = PROJECT + "/library/app";
    private static final int GATE = 256 << 10;

    private final byte[] blob = new byte[1 << 20];
    private Digest digest;

    ProxyBlobsTest(TestDatabase database) {
        super(database);
        new Random(42).nextBytes(blob);
    }

    /** What one client received, and the failure its transfer ended with (null when it ended well). */
    private record Received(byte[] bytes, IOException failure) {
    }

    /** A client's GET as the gateway makes it: the size (starting or joining the fill), then the span. */
    private BlobContent open(String repository, long offset, long length) throws IOException {
        ContentSource source = source(repository);
        long size = source.blobSizeToRead(digest).orElseThrow();
        return source.openBlob(digest, offset, length < 0 ? size - offset : length).orElseThrow();
    }

    /** Reads a span to its end; a fill that finished meanwhile may have served it as a local file. */
    private static Received receive(BlobContent content) throws IOException {
        if (content instanceof BlobContent.LocalFile) {
            return new Received(readAll(content), null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (content) {
            ReadableByteChannel channel = ((BlobContent.Stream) content).channel();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return new Received(out.toByteArray(), null);
        } catch (IOException e) {
            return new Received(out.toByteArray(), e);
        }
    }

    /** Opens {@code count} readers of the whole blob while the upstream holds the body at the gate. */
    private List<Future<Received>> readersAtTheGate(int count) throws InterruptedException {
        CountDownLatch opened = new CountDownLatch(count);
        List<Future<Received>> readers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            readers.add(executor.submit(() -> {
                BlobContent content = open(LOCAL, 0, -1);
                opened.countDown();
                return receive(content);
            }));
        }
        opened.await();
        return readers;
    }

    /** A GET once the fill is over (its blob stored, or given up): a stored blob is served from the store. */
    private BlobContent servedLater() throws IOException, InterruptedException {
        awaitFillsOver();
        return open(LOCAL, 0, -1);
    }

    private void assertNothingCached() throws IOException {
        assertTrue(registry.blobs().size(repo(LOCAL), digest).isEmpty(), "no link to a blob that failed");
        assertFalse(Files.exists(paths().blob(digest)), "no content of a blob that failed");
        assertEquals(List.of(), filesIn(spool()), "no spool file left behind");
    }

    @Test
    void fiftyConcurrentReadersOfAColdBlob_makeOneUpstreamGet_andAllGetTheRightBytes() throws Exception {
        digest = upstream.putBlob(blob);
        CountDownLatch gate = upstream.gateBlobsAt(GATE);

        List<Future<Received>> readers = readersAtTheGate(50);
        gate.countDown();

        for (Future<Received> reader : readers) {
            Received received = reader.get();
            assertEquals(null, received.failure());
            assertArrayEquals(blob, received.bytes());
        }
        assertInstanceOf(BlobContent.LocalFile.class, servedLater(), "once committed it is a local file");
        assertEquals(1, upstream.calls(GET_BLOB));
        assertEquals(blob.length, registry.blobs().size(repo(LOCAL), digest).orElseThrow());
        assertArrayEquals(blob, read(registry, digest));
        assertEquals(List.of(), filesIn(spool()));
    }

    @Test
    void firstReaderClosingEarly_stopsNeitherTheOthersNorTheCommit() throws Exception {
        digest = upstream.putBlob(blob);
        CountDownLatch gate = upstream.gateBlobsAt(GATE);
        BlobContent first = open(LOCAL, 0, -1);
        ByteBuffer some = ByteBuffer.allocate(64 << 10);
        ((BlobContent.Stream) first).channel().read(some);
        first.close();

        List<Future<Received>> others = readersAtTheGate(5);
        gate.countDown();

        for (Future<Received> reader : others) {
            assertArrayEquals(blob, reader.get().bytes());
        }
        assertInstanceOf(BlobContent.LocalFile.class, servedLater());
        assertArrayEquals(blob, read(registry, digest));
        assertEquals(1, upstream.calls(GET_BLOB));
    }

    @Test
    void rangeReaderJoiningMidFill_getsItsSpan() throws Exception {
        digest = upstream.putBlob(blob);
        CountDownLatch gate = upstream.gateBlobsAt(GATE);
        Future<Received> whole = executor.submit(() -> receive(open(LOCAL, 0, -1)));
        upstream.gateReached().await();

        BlobContent range = open(LOCAL, 100_000, 400_000);
        Future<Received> ranged = executor.submit(() -> receive(range));
        gate.countDown();

        assertArrayEquals(Arrays.copyOfRange(blob, 100_000, 500_000), ranged.get().bytes());
        assertArrayEquals(blob, whole.get().bytes());
        assertEquals(1, upstream.calls(GET_BLOB));
    }

    @Test
    void rangeRequestOnAMiss_isServedFromTheFillItStarts() throws Exception {
        digest = upstream.putBlob(blob);

        Received received = receive(open(LOCAL, 700_000, 1_000));

        assertArrayEquals(Arrays.copyOfRange(blob, 700_000, 701_000), received.bytes());
        assertInstanceOf(BlobContent.LocalFile.class, servedLater());
        assertEquals(1, upstream.calls(GET_BLOB));
    }

    @Test
    void digestMismatch_failsEveryReader_cachesNothing_andALaterRequestFetchesAgain() throws Exception {
        digest = upstream.putBlob(blob);
        upstream.corrupt(digest);
        CountDownLatch gate = upstream.gateBlobsAt(GATE);

        List<Future<Received>> readers = readersAtTheGate(5);
        gate.countDown();

        for (Future<Received> reader : readers) {
            Received received = reader.get();
            assertNotNull(received.failure(), "a corrupt blob must break the transfer");
            assertTrue(received.bytes().length < blob.length, "never a complete-looking body");
        }
        assertNothingCached();
        assertEquals(1, proxy.counters().blobFillFailures());

        upstream.repair(digest);
        assertArrayEquals(blob, receive(open(LOCAL, 0, -1)).bytes());
        assertEquals(2, upstream.calls(GET_BLOB));
    }

    @Test
    void upstreamFailingMidBlob_failsEveryReaderAndCachesNothing() throws Exception {
        digest = upstream.putBlob(blob);
        upstream.breakAfter(digest, 300_000);
        CountDownLatch gate = upstream.gateBlobsAt(GATE);

        List<Future<Received>> readers = readersAtTheGate(3);
        gate.countDown();

        for (Future<Received> reader : readers) {
            Received received = reader.get();
            assertNotNull(received.failure());
            assertTrue(received.bytes().length <= 300_000, "nothing past what arrived");
        }
        assertNothingCached();
    }

    @Test
    void upstreamFailingBeforeItsHeaders_isUnavailableForGetAndHead() throws IOException {
        digest = upstream.putBlob(blob);
        upstream.failWith(UpstreamException.Kind.SERVER_ERROR);

        assertFailure(ErrorCode.UPSTREAM_UNAVAILABLE, () -> source(LOCAL).blobSizeToRead(digest));
        assertFailure(ErrorCode.UPSTREAM_UNAVAILABLE, () -> source(LOCAL).openBlob(digest, 0, blob.length));
        assertFailure(ErrorCode.UPSTREAM_UNAVAILABLE, () -> source(LOCAL).blobSize(digest));
        assertEquals(List.of(), filesIn(spool()));
    }

    @Test
    void blobTheUpstreamDoesNotHave_isUnknown() throws IOException {
        digest = Digest.sha256(blob);

        assertEquals(OptionalLong.empty(), source(LOCAL).blobSizeToRead(digest));
        assertEquals(OptionalLong.empty(), source(LOCAL).blobSize(digest));
    }

    @Test
    void headOfAnUncachedBlob_asksTheUpstreamAndFetchesNothing() throws IOException {
        digest = upstream.putBlob(blob);

        assertEquals(OptionalLong.of(blob.length), source(LOCAL).blobSize(digest));

        assertEquals(1, upstream.calls(HEAD_BLOB));
        assertEquals(0, upstream.calls(GET_BLOB));
        assertTrue(registry.blobs().size(repo(LOCAL), digest).isEmpty());
    }

    @Test
    void cachedBlob_isServedAsALocalFile_evenWithTheUpstreamDown() throws Exception {
        digest = upstream.putBlob(blob);
        receive(open(LOCAL, 0, -1));
        awaitFillsOver();
        upstream.failWith(UpstreamException.Kind.UNREACHABLE);

        BlobContent cached = open(LOCAL, 0, -1);

        assertInstanceOf(BlobContent.LocalFile.class, cached);
        assertArrayEquals(blob, readAll(cached));
        assertEquals(OptionalLong.of(blob.length), source(LOCAL).blobSize(digest));
        assertEquals(0, upstream.calls(HEAD_BLOB));
    }

    @Test
    void readersInTwoRepositoriesOfTheProject_shareOneFetch_andBothAreLinked() throws Exception {
        digest = upstream.putBlob(blob);
        CountDownLatch gate = upstream.gateBlobsAt(GATE);
        String other = PROJECT + "/library/other";
        Future<Received> first = executor.submit(() -> receive(open(LOCAL, 0, -1)));
        upstream.gateReached().await();
        BlobContent second = open(other, 0, -1);
        gate.countDown();

        assertArrayEquals(blob, receive(second).bytes());
        assertArrayEquals(blob, first.get().bytes());
        assertInstanceOf(BlobContent.LocalFile.class, servedLater());
        assertEquals(1, upstream.calls(GET_BLOB));
        assertEquals(blob.length, registry.blobs().size(repo(other), digest).orElseThrow());
    }

    @Test
    void spoolFilesOfAnEarlierRun_areDeletedWhenTheCacheStarts() throws IOException {
        Path dir = storage.resolve("spool-1000");
        Files.createDirectories(dir);
        Files.write(dir.resolve("abc-123" + BlobFills.SPOOL_SUFFIX), new byte[10]);
        Files.write(dir.resolve("keep.txt"), new byte[1]);

        cacheWithDeadline(java.time.Duration.ofSeconds(1));

        assertEquals(List.of(dir.resolve("keep.txt")), filesIn(dir));
    }
}
