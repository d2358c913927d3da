package io.berth.store.blob;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of {@link BlobStore}, which every storage driver runs by extending this class: a
 * blob is visible only once complete and verified, content under a digest never changes, spans
 * read back exactly, and a failed write leaves nothing behind. A driver adds its own checks
 * (layout, leftovers) in its subclass. What deletion needs of writes is {@link BlobDeletionContract}.
 */
public abstract class BlobStoreContract implements BlobDeletionContract {
    @TempDir
    protected Path scratch;

    protected BlobStore store;

    /** A new, empty store of the driver under test. */
    protected abstract BlobStore newStore() throws IOException;

    @Override
    public BlobStore store() {
        return store;
    }

    @Override
    public Path scratchFolder() {
        return scratch;
    }

    /** Fails when the driver kept anything of writes that did not complete (temporary files, parts). */
    protected abstract void assertNoLeftovers() throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = newStore();
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Every byte of a blob, read as a client would receive it (whatever form the store opens it in). */
    public static byte[] readAll(BlobStore store, Digest digest) throws IOException {
        long size = store.stat(digest).orElseThrow(() -> new NoSuchFileException(digest.toString()));
        return readSpan(store.open(digest, 0, size).orElseThrow(), 0);
    }

    /** The bytes of an opened span; a redirect is followed with a {@code Range} from {@code offset}. */
    public static byte[] readSpan(BlobContent content, long offset) throws IOException {
        try (content) {
            return switch (content) {
                case BlobContent.LocalFile file -> {
                    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(file.length()));
                    while (buffer.hasRemaining() && file.file().read(buffer, file.position() + buffer.position()) >= 0) {
                        // positional reads until the span is in
                    }
                    yield buffer.array();
                }
                case BlobContent.Stream stream -> readFully(stream.channel(), stream.length());
                case BlobContent.Redirect redirect -> fetch(redirect, offset);
            };
        }
    }

    private static byte[] readFully(ReadableByteChannel channel, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(length));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("stream ended after " + buffer.position() + " of " + length + " bytes");
            }
        }
        assertEquals(-1, channel.read(ByteBuffer.allocate(1)), "a stream must end with its span");
        return buffer.array();
    }

    private static byte[] fetch(BlobContent.Redirect redirect, long offset) throws IOException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(redirect.location())
                    .header("Range", "bytes=" + offset + "-" + (offset + redirect.length() - 1)).build();
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static Digest sha512(byte[] content) {
        return Digest.of(Digest.Algorithm.SHA512, Digest.Algorithm.SHA512.newHasher().digest(content));
    }

    @Test
    void put_storesContentUnderItsSha256() throws IOException {
        byte[] content = "hello blob".getBytes(StandardCharsets.UTF_8);

        Digest digest = store.put(content, Digest.Algorithm.SHA256);

        assertEquals(Digest.sha256(content), digest);
        assertEquals(content.length, store.stat(digest).orElseThrow());
        assertArrayEquals(content, readAll(store, digest));
    }

    @Test
    void put_withSha512_storesOnlyUnderTheSha512Digest() throws IOException {
        byte[] content = "sha512 content".getBytes(StandardCharsets.UTF_8);

        Digest digest = store.put(content, Digest.Algorithm.SHA512);

        assertEquals(sha512(content), digest);
        assertArrayEquals(content, readAll(store, digest));
        assertTrue(store.stat(Digest.sha256(content)).isEmpty(), "only the sha512 name should exist");
    }

    @Test
    void put_sameContentTwice_keepsOneBlob() throws IOException {
        byte[] content = randomBytes(1000, 1);

        assertEquals(store.put(content, Digest.Algorithm.SHA256), store.put(content, Digest.Algorithm.SHA256));

        assertEquals(List.of(Digest.sha256(content)), digests());
        assertNoLeftovers();
    }

    @Test
    void put_emptyContent_isABlobOfZeroBytes() throws IOException {
        Digest digest = store.put(new byte[0], Digest.Algorithm.SHA256);

        assertEquals(0, store.stat(digest).orElseThrow());
        assertArrayEquals(new byte[0], readAll(store, digest));
    }

    @Test
    void ingest_withoutExpectedDigest_storesUnderComputedSha256() throws IOException {
        byte[] content = randomBytes(300_000, 2);

        Digest digest = store.ingest(new ByteArrayInputStream(content), null, -1);

        assertEquals(Digest.sha256(content), digest);
        assertArrayEquals(content, readAll(store, digest));
    }

    @Test
    void ingest_withMatchingSha512AndSize_storesIt() throws IOException {
        byte[] content = randomBytes(5000, 3);

        Digest digest = store.ingest(new ByteArrayInputStream(content), sha512(content), content.length);

        assertEquals(sha512(content), digest);
        assertArrayEquals(content, readAll(store, digest));
    }

    @Test
    void ingest_withWrongDigest_failsAndStoresNothing() throws IOException {
        byte[] content = randomBytes(5000, 4);
        Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));

        RegistryException e = assertThrows(RegistryException.class,
                () -> store.ingest(new ByteArrayInputStream(content), wrong, -1));

        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
        assertEquals(List.of(), digests());
        assertNoLeftovers();
    }

    @Test
    void ingest_withWrongSize_failsAndStoresNothing() throws IOException {
        byte[] content = randomBytes(5000, 5);

        RegistryException e = assertThrows(RegistryException.class,
                () -> store.ingest(new ByteArrayInputStream(content), Digest.sha256(content), 4999));

        assertEquals(ErrorCode.SIZE_INVALID, e.code());
        assertEquals(List.of(), digests());
        assertNoLeftovers();
    }

    @Test
    void ingest_streamFailingHalfway_storesNothing() throws IOException {
        IOException e = assertThrows(IOException.class, () -> store.ingest(failingAfter(100_000), null, -1));

        assertEquals("connection reset", e.getMessage());
        assertEquals(List.of(), digests());
        assertNoLeftovers();
    }

    /** A stream that fails every read after {@code bytes}, as a dropped connection does. */
    private static InputStream failingAfter(int bytes) {
        return new InputStream() {
            private int left = bytes;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    throw new IOException("connection reset");
                }
                int n = Math.min(len, left);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void ingest_sameContentFromManyThreads_allSucceedWithOneBlob() throws Exception {
        byte[] content = randomBytes(2 << 20, 6);
        Digest expected = Digest.sha256(content);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Digest>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                // Half of them state the digest up front, as a verified upload does.
                Digest stated = i % 2 == 0 ? expected : null;
                results.add(pool.submit(() -> {
                    start.await();
                    return store.ingest(new ByteArrayInputStream(content), stated, -1);
                }));
            }
            start.countDown();
            for (Future<Digest> result : results) {
                assertEquals(expected, result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(List.of(expected), digests());
        assertArrayEquals(content, readAll(store, expected));
        assertNoLeftovers();
    }

    @Test
    void open_span_yieldsExactlyThoseBytes() throws IOException {
        byte[] content = randomBytes(100_000, 7);
        Digest digest = store.put(content, Digest.Algorithm.SHA256);

        byte[] span = readSpan(store.open(digest, 1000, 5000).orElseThrow(), 1000);

        assertArrayEquals(java.util.Arrays.copyOfRange(content, 1000, 6000), span);
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 99_999, 100_000),
                readSpan(store.open(digest, 99_999, 1).orElseThrow(), 99_999));
    }

    @Test
    void open_spanPastTheEnd_isRefused() throws IOException {
        Digest digest = store.put(randomBytes(10, 8), Digest.Algorithm.SHA256);

        assertThrows(IllegalArgumentException.class, () -> store.open(digest, 5, 6));
    }

    @Test
    void open_blobNotHeld_isEmpty() throws IOException {
        assertTrue(store.open(Digest.sha256(new byte[] {2}), 0, 1).isEmpty());
    }

    @Test
    void stat_blobNotHeld_isEmpty() throws IOException {
        assertTrue(store.stat(Digest.sha256(new byte[] {1})).isEmpty());
    }

    @Test
    void read_blobNotHeld_throwsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> store.read(Digest.sha256(new byte[] {3})).close());
    }

    @Test
    void read_wholeBlob_streamsItsContent() throws IOException {
        byte[] content = randomBytes(70_000, 9);
        Digest digest = store.put(content, Digest.Algorithm.SHA256);

        try (InputStream in = store.read(digest)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void delete_removesBlob_andSaysWhetherItWasHeld() throws IOException {
        Digest digest = store.put(randomBytes(10, 10), Digest.Algorithm.SHA256);

        assertTrue(store.delete(digest));
        assertFalse(store.delete(digest));

        assertTrue(store.stat(digest).isEmpty());
        assertTrue(store.open(digest, 0, 10).isEmpty());
    }

    @Test
    void forEach_listsEveryBlobWithItsSize() throws IOException {
        Map<Digest, Long> expected = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            byte[] content = randomBytes(i * 7, 100 + i);
            expected.put(store.put(content, i % 3 == 0 ? Digest.Algorithm.SHA512 : Digest.Algorithm.SHA256),
                    (long) content.length);
        }

        Map<Digest, Long> listed = new HashMap<>();
        store.forEach(blob -> assertEquals(null, listed.put(blob.digest(), blob.size()), "listed twice: " + blob));

        assertEquals(expected, listed);
    }

    @Test
    void adopt_takesAVerifiedFile() throws IOException {
        byte[] content = randomBytes(1234, 11);
        Path file = Files.write(scratch.resolve("verified"), content);

        store.adopt(file, Digest.sha256(content));

        assertArrayEquals(content, readAll(store, Digest.sha256(content)));
        assertFalse(Files.exists(file), "the adopted file is the store's now");
    }

    @Test
    void sweep_keepsEveryCompleteBlob() throws IOException {
        Digest digest = store.put(randomBytes(100, 12), Digest.Algorithm.SHA256);

        store.sweep(Instant.now().plusSeconds(86_400));

        assertEquals(List.of(digest), digests());
    }

    /** The digests the store lists. */
    protected List<Digest> digests() {
        List<Digest> digests = new ArrayList<>();
        try {
            store.forEach(blob -> digests.add(blob.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digests;
    }
}
