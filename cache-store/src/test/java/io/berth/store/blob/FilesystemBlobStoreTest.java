package io.berth.store.blob;

import io.berth.store.error.RegistryException;
import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Digest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilesystemBlobStoreTest {
    @TempDir
    Path root;

    private FilesystemBlobStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = new FilesystemBlobStore(new StoragePaths(root));
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] read(BlobReader reader, Digest digest) throws IOException {
        try (SeekableByteChannel channel = reader.open(digest)) {
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(channel.size()));
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading
            }
            return buffer.array();
        }
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void put_storesContentUnderItsSha256() throws IOException {
        byte[] content = "hello blob".getBytes(StandardCharsets.UTF_8);

        Digest digest = store.put(content, Digest.Algorithm.SHA256);

        assertEquals(Digest.sha256(content), digest);
        assertEquals(OptionalLong.of(content.length), store.size(digest));
        assertArrayEquals(content, read(store, digest));
    }

    @Test
    void put_layoutIsAlgorithmThenTwoHexDigitsThenHex() throws IOException {
        Digest digest = store.put("layout".getBytes(StandardCharsets.UTF_8), Digest.Algorithm.SHA256);

        Path expected = root.resolve("blobs").resolve("sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
        assertTrue(Files.isRegularFile(expected), expected + " should hold the blob");
        assertEquals(expected, store.paths().blob(digest));
    }

    @Test
    void put_withSha512_storesUnderSha512Digest() throws IOException {
        byte[] content = "sha512 content".getBytes(StandardCharsets.UTF_8);

        Digest digest = store.put(content, Digest.Algorithm.SHA512);

        assertEquals(Digest.Algorithm.SHA512, digest.algorithm());
        assertEquals(128, digest.hex().length());
        assertArrayEquals(content, read(store, digest));
        assertTrue(store.size(Digest.sha256(content)).isEmpty(), "only the sha512 name should exist");
    }

    @Test
    void put_sameContentTwice_keepsOneFileAndNoTemporaryFiles() throws IOException {
        byte[] content = randomBytes(1000, 1);

        Digest first = store.put(content, Digest.Algorithm.SHA256);
        Digest second = store.put(content, Digest.Algorithm.SHA256);

        assertEquals(first, second);
        assertEquals(1, filesUnder(root.resolve("blobs")).size());
        assertEquals(List.of(), filesUnder(root.resolve("tmp")));
    }

    @Test
    void ingest_withoutExpectedDigest_storesUnderComputedSha256() throws IOException {
        byte[] content = randomBytes(300_000, 2);

        Digest digest = store.ingest(new ByteArrayInputStream(content), null);

        assertEquals(Digest.sha256(content), digest);
        assertArrayEquals(content, read(store, digest));
    }

    @Test
    void ingest_withMatchingExpectedSha512_storesIt() throws IOException {
        byte[] content = randomBytes(5000, 3);
        Digest expected = Digest.of(Digest.Algorithm.SHA512, Digest.Algorithm.SHA512.newHasher().digest(content));

        Digest digest = store.ingest(new ByteArrayInputStream(content), expected);

        assertEquals(expected, digest);
        assertArrayEquals(content, read(store, expected));
    }

    @Test
    void ingest_withWrongExpectedDigest_storesNothingAndLeavesNoTempFile() throws IOException {
        byte[] content = randomBytes(5000, 4);
        Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));

        RegistryException e = assertThrows(RegistryException.class,
                () -> store.ingest(new ByteArrayInputStream(content), wrong));

        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
        assertTrue(store.size(wrong).isEmpty());
        assertTrue(store.size(Digest.sha256(content)).isEmpty());
        assertEquals(List.of(), filesUnder(root.resolve("blobs")));
        assertEquals(List.of(), filesUnder(root.resolve("tmp")));
    }

    @Test
    void ingest_streamFailingHalfway_storesNothingAndLeavesNoTempFile() {
        // Fails every read after the first 100 KB, as a dropped connection does.
        InputStream failing = new InputStream() {
            private int left = 100_000;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
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

        IOException e = assertThrows(IOException.class, () -> store.ingest(failing, null));

        assertEquals("connection reset", e.getMessage());
        assertDoesNotHoldFiles();
    }

    private void assertDoesNotHoldFiles() {
        try {
            assertEquals(List.of(), filesUnder(root.resolve("blobs")));
            assertEquals(List.of(), filesUnder(root.resolve("tmp")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ingest_sameContentFromManyThreads_allSucceedWithOneBlobFile() throws Exception {
        byte[] content = randomBytes(2 << 20, 5);
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
                    return store.ingest(new ByteArrayInputStream(content), stated);
                }));
            }
            start.countDown();
            for (Future<Digest> result : results) {
                assertEquals(expected, result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(List.of(store.paths().blob(expected)), filesUnder(root.resolve("blobs")));
        assertEquals(List.of(), filesUnder(root.resolve("tmp")));
        assertArrayEquals(content, read(store, expected));
    }

    @Test
    void commit_movesVerifiedFileIntoPlace() throws IOException {
        byte[] content = randomBytes(1234, 6);
        Path file = Files.write(root.resolve("tmp").resolve("verified"), content);
        Digest digest = Digest.sha256(content);

        store.commit(file, digest);

        assertFalse(Files.exists(file), "the file should have been moved, not copied");
        assertArrayEquals(content, read(store, digest));
    }

    @Test
    void size_ofBlobNotHeld_isEmpty() throws IOException {
        assertTrue(store.size(Digest.sha256(new byte[] {1})).isEmpty());
    }

    @Test
    void open_blobNotHeld_throwsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> store.open(Digest.sha256(new byte[] {2})));
    }

    @Test
    void delete_removesBlob() throws IOException {
        Digest digest = store.put(randomBytes(10, 7), Digest.Algorithm.SHA256);

        store.delete(digest);

        assertTrue(store.size(digest).isEmpty());
        assertThrows(NoSuchFileException.class, () -> store.open(digest));
    }

    @Test
    void delete_blobNotHeld_isNoError() throws IOException {
        Digest digest = Digest.sha256(new byte[] {3});

        store.delete(digest);

        assertTrue(store.size(digest).isEmpty());
    }

    @Test
    void constructor_createsStorageFolders() {
        assertTrue(Files.isDirectory(root.resolve("blobs")));
        assertTrue(Files.isDirectory(root.resolve("uploads")));
        assertTrue(Files.isDirectory(root.resolve("tmp")));
    }
}
