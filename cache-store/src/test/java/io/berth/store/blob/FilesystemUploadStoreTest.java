package io.berth.store.blob;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static io.berth.store.blob.BlobStoreContract.randomBytes;
import static io.berth.store.blob.BlobStoreContract.readAll;
import static io.berth.store.blob.FilesystemBlobStoreTest.filesUnder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upload sessions on the file system, handing finished blobs to a filesystem blob store; the
 * subclass runs the same tests against a store that is not local.
 */
class FilesystemUploadStoreTest {
    @TempDir
    Path root;

    private StoragePaths paths;
    BlobStore store;
    private FilesystemUploadStore sessions;

    @BeforeEach
    void setUp() throws IOException {
        paths = new StoragePaths(root);
        store = newBlobStore(paths);
        sessions = new FilesystemUploadStore(paths, store);
    }

    /** The blob store finished uploads go to. */
    BlobStore newBlobStore(StoragePaths paths) throws IOException {
        return new FilesystemBlobStore(paths);
    }

    /** The digests the blob store holds. */
    private List<Digest> stored() throws IOException {
        List<Digest> digests = new java.util.ArrayList<>();
        store.forEach(b -> digests.add(b.digest()));
        return digests;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Digest sha512(byte[] content) {
        return Digest.of(Digest.Algorithm.SHA512, Digest.Algorithm.SHA512.newHasher().digest(content));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Applies one chunk and commits it; returns the session's new size. */
    private static long append(UploadStore sessions, String id, long start, byte[] bytes) throws IOException {
        try (UploadStore.Chunk chunk = sessions.beginChunk(id, start)) {
            chunk.write(ByteBuffer.wrap(bytes));
            return chunk.commit();
        }
    }

    private static void assertFailure(ErrorCode failure, Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(failure, e.code(), e.getMessage());
    }

    @Test
    void create_startsAnEmptySession() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);

        assertTrue(sessions.exists(id));
        assertEquals(0, sessions.size(id));
        assertTrue(Files.isRegularFile(paths.uploadData(id)));
    }

    @Test
    void chunks_appendInOrder() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);

        assertEquals(6, append(sessions, id, 0, utf8("hello ")));
        assertEquals(11, append(sessions, id, 6, utf8("world")));
        assertEquals(14, append(sessions, id, -1, utf8("!!!")));

        assertEquals(14, sessions.size(id));
        assertArrayEquals(utf8("hello world!!!"), Files.readAllBytes(paths.uploadData(id)));
    }

    @Test
    void beginChunk_reportsWhereTheChunkStarts() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, utf8("12345"));

        try (UploadStore.Chunk chunk = sessions.beginChunk(id, -1)) {
            assertEquals(5, chunk.start());
        }
    }

    @Test
    void beginChunk_startingElsewhereThanTheEnd_failsWithRangeInvalidAndChangesNothing() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, utf8("abc"));

        assertFailure(ErrorCode.CHUNK_OUT_OF_ORDER, () -> sessions.beginChunk(id, 0));
        assertFailure(ErrorCode.CHUNK_OUT_OF_ORDER, () -> sessions.beginChunk(id, 5));

        assertEquals(3, sessions.size(id));
        // The refused chunk released the session: the right start is still accepted.
        assertEquals(6, append(sessions, id, 3, utf8("def")));
    }

    @Test
    void chunk_closedWithoutCommit_isUndoneAndLaterCompleteStillVerifies() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, utf8("kept "));
        try (UploadStore.Chunk chunk = sessions.beginChunk(id, 5)) {
            chunk.write(ByteBuffer.wrap(utf8("half of a chunk whose client went away")));
        }

        assertEquals(5, sessions.size(id));
        append(sessions, id, 5, utf8("and the rest"));
        Digest digest = Digest.sha256(utf8("kept and the rest"));
        sessions.complete(id, digest);

        assertArrayEquals(utf8("kept and the rest"), readAll(store, digest));
    }

    @Test
    void chunk_firstChunkClosedWithoutCommit_leavesAnEmptySession() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);
        try (UploadStore.Chunk chunk = sessions.beginChunk(id, 0)) {
            chunk.write(ByteBuffer.wrap(randomBytes(100_000, 1)));
        }

        assertEquals(0, sessions.size(id));
        byte[] content = utf8("retried");
        append(sessions, id, 0, content);
        sessions.complete(id, Digest.sha256(content));

        assertArrayEquals(content, readAll(store, Digest.sha256(content)));
    }

    @Test
    void chunks_ofOneSession_areAppliedOneAtATime() throws Exception {
        String id = sessions.create(Digest.Algorithm.SHA256);
        CompletableFuture<Long> second;
        try (UploadStore.Chunk first = sessions.beginChunk(id, 0)) {
            // A second client claims the same start while the first chunk is still open.
            second = CompletableFuture.supplyAsync(() -> {
                try {
                    return append(sessions, id, 0, utf8("second"));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            first.write(ByteBuffer.wrap(utf8("first")));
            first.commit();
        }

        ExecutionException e = assertThrows(ExecutionException.class, second::get);
        assertEquals(ErrorCode.CHUNK_OUT_OF_ORDER, assertInstanceOf(RegistryException.class, e.getCause()).code());
        assertArrayEquals(utf8("first"), Files.readAllBytes(paths.uploadData(id)));
    }

    @Test
    void complete_withMatchingSha256_storesBlobAndEndsSession() throws IOException {
        byte[] a = randomBytes(70_000, 2);
        byte[] b = randomBytes(130_000, 3);
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, a);
        append(sessions, id, a.length, b);
        Digest digest = Digest.sha256(concat(a, b));

        sessions.complete(id, digest);

        assertArrayEquals(concat(a, b), readAll(store, digest));
        assertFalse(Files.exists(paths.upload(id)), "the session folder should be gone");
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.size(id));
    }

    @Test
    void complete_withMatchingSha512_storesBlob() throws IOException {
        byte[] content = randomBytes(90_000, 4);
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, content);

        sessions.complete(id, sha512(content));

        assertArrayEquals(content, readAll(store, sha512(content)));
    }

    @Test
    void complete_ofEmptySession_storesEmptyBlob() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);
        Digest empty = Digest.sha256(new byte[0]);

        sessions.complete(id, empty);

        assertEquals(0, store.stat(empty).orElseThrow());
    }

    @Test
    void complete_withWrongDigest_discardsSessionAndStoresNothing() throws IOException {
        byte[] content = randomBytes(10_000, 5);
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, content);
        Digest wrong = Digest.sha256(utf8("other"));

        assertFailure(ErrorCode.DIGEST_INVALID, () -> sessions.complete(id, wrong));

        assertTrue(store.stat(wrong).isEmpty());
        assertTrue(store.stat(Digest.sha256(content)).isEmpty());
        assertEquals(List.of(), stored());
        assertFalse(Files.exists(paths.upload(id)));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.size(id));
    }

    @Test
    void complete_withWrongSha512_discardsSession() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, utf8("content"));

        assertFailure(ErrorCode.DIGEST_INVALID, () -> sessions.complete(id, sha512(utf8("different"))));

        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.size(id));
        assertEquals(List.of(), stored());
    }

    @Test
    void restart_recomputesStateFromDiskAndCompletionStillVerifies() throws IOException {
        byte[] before = randomBytes(200_000, 6);
        byte[] after = randomBytes(50_000, 7);
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, before);

        FilesystemUploadStore restarted = new FilesystemUploadStore(paths, store);

        assertEquals(before.length, restarted.size(id));
        append(restarted, id, before.length, after);
        Digest digest = Digest.sha256(concat(before, after));
        restarted.complete(id, digest);
        assertArrayEquals(concat(before, after), readAll(store, digest));
    }

    @Test
    void restart_thenCompleteWithoutMoreChunks_verifies() throws IOException {
        byte[] content = randomBytes(100_000, 8);
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, content);

        FilesystemUploadStore restarted = new FilesystemUploadStore(paths, store);
        restarted.complete(id, Digest.sha256(content));

        assertArrayEquals(content, readAll(store, Digest.sha256(content)));
    }

    @Test
    void restart_thenChunkClosedWithoutCommit_isUndoneAndCompleteVerifies() throws IOException {
        byte[] content = randomBytes(100_000, 9);
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, content);

        FilesystemUploadStore restarted = new FilesystemUploadStore(paths, store);
        try (UploadStore.Chunk chunk = restarted.beginChunk(id, content.length)) {
            chunk.write(ByteBuffer.wrap(utf8("abandoned")));
        }
        restarted.complete(id, Digest.sha256(content));

        assertArrayEquals(content, readAll(store, Digest.sha256(content)));
    }

    @Test
    void delete_removesSessionFolder() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, utf8("data"));

        sessions.delete(id);

        assertFalse(Files.exists(paths.upload(id)));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.beginChunk(id, -1));
    }

    @Test
    void delete_unknownSession_isNoError() throws IOException {
        sessions.delete(UUID.randomUUID().toString());
    }

    @Test
    void idleSince_listsOnlySessionsUntouchedSinceCutoff() throws IOException {
        String idle = sessions.create(Digest.Algorithm.SHA256);
        String active = sessions.create(Digest.Algorithm.SHA256);
        Instant now = Instant.now();
        Files.setLastModifiedTime(paths.uploadData(idle), FileTime.from(now.minus(Duration.ofDays(2))));

        List<String> found = sessions.idleSince(now.minus(Duration.ofDays(1)));

        assertEquals(List.of(idle), found);
        assertEquals(0, sessions.size(active));
    }

    @Test
    void idleSince_includesFoldersLeftWithoutDataFile() throws IOException {
        Path leftover = Files.createDirectories(paths.uploads().resolve("crashed-" + UUID.randomUUID()));
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofDays(3))));

        assertEquals(List.of(leftover.getFileName().toString()),
                sessions.idleSince(Instant.now().minus(Duration.ofDays(1))));
    }

    @Test
    void deleteIfIdle_removesSessionWhateverItsName() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, 0, utf8("data"));
        Path odd = Files.createDirectories(paths.uploads().resolve("odd name"));
        Files.writeString(odd.resolve("data"), "x");

        sessions.deleteIfIdle(id, Instant.MAX);
        sessions.deleteIfIdle("odd name", Instant.MAX);

        assertEquals(List.of(), filesUnder(paths.uploads()));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.size(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../tmp", "..", ".", "../blobs", "a/../../tmp"})
    void deleteIfIdle_nameOutsideUploads_touchesNothingOutside(String name) throws IOException {
        Files.createDirectories(paths.tmp());
        Path stray = Files.writeString(paths.tmp().resolve("keep-me"), "not an upload");
        Digest blob = store.put(utf8("a blob"), Digest.Algorithm.SHA256);

        assertThrows(IllegalArgumentException.class, () -> sessions.deleteIfIdle(name, Instant.MAX));

        assertTrue(Files.exists(stray));
        assertTrue(Files.isDirectory(paths.tmp()));
        assertTrue(Files.isDirectory(paths.uploads()));
        assertTrue(store.stat(blob).isPresent());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"../x", "..", "../../etc/passwd", "not-a-session", "ABCDEF01-2345-6789-ABCD-EF0123456789",
            "01234567-89ab-cdef-0123-456789abcdef/../x"})
    void invalidSessionId_failsWithBlobUploadUnknown(String id) {
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.size(id));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.beginChunk(id, -1));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.complete(id, Digest.sha256(new byte[0])));
        assertFalse(sessions.exists(id));
    }

    @Test
    void unknownSessionId_failsWithBlobUploadUnknown() {
        String id = UUID.randomUUID().toString();

        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.size(id));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.beginChunk(id, 0));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> sessions.complete(id, Digest.sha256(new byte[0])));
    }

    @Test
    void chunkInterruptedByCrash_isCutOffOnRestart_andTheUploadResumesFromTheAcknowledgedSize() throws IOException {
        byte[] first = utf8("acknowledged part;");
        byte[] rest = utf8("the rest of the blob");
        String id = sessions.create(Digest.Algorithm.SHA256);
        append(sessions, id, -1, first);
        // A crash mid-chunk leaves bytes the client was never told about.
        Files.write(paths.uploadData(id), utf8("half a chunk"), java.nio.file.StandardOpenOption.APPEND);

        FilesystemUploadStore restarted = new FilesystemUploadStore(paths, store);

        assertEquals(first.length, restarted.size(id));
        assertEquals(first.length + rest.length, append(restarted, id, first.length, rest));
        restarted.complete(id, Digest.sha256(concat(first, rest)));
        assertArrayEquals(concat(first, rest), readAll(store, Digest.sha256(concat(first, rest))));
    }

    @Test
    void crashBeforeAnyChunkWasAcknowledged_leavesAnEmptySession() throws IOException {
        String id = sessions.create(Digest.Algorithm.SHA256);
        Files.write(paths.uploadData(id), utf8("never acknowledged"));

        FilesystemUploadStore restarted = new FilesystemUploadStore(paths, store);

        assertEquals(0, restarted.size(id));
        byte[] blob = utf8("whole blob");
        append(restarted, id, 0, blob);
        restarted.complete(id, Digest.sha256(blob));
    }
}
