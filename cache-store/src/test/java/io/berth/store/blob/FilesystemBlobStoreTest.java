package io.berth.store.blob;

import io.berth.store.oci.Digest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filesystem driver: the storage contract, plus its layout and what it leaves on disk. */
class FilesystemBlobStoreTest extends BlobStoreContract {
    private Path root;

    @Override
    protected BlobStore newStore() throws IOException {
        root = scratch.resolve("storage");
        return new FilesystemBlobStore(new StoragePaths(root));
    }

    @Override
    protected void assertNoLeftovers() throws IOException {
        assertEquals(List.of(), filesUnder(root.resolve("tmp")), "temporary files left behind");
        assertEquals(List.of(), filesUnder(root.resolve("deleting")), "deletions left files aside");
    }

    @Override
    public void backdate(Digest digest, Instant writtenAt) throws IOException {
        Files.setLastModifiedTime(blobPath(digest), FileTime.from(writtenAt));
    }

    private Path blobPath(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm().prefix()).resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex());
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void put_layoutIsAlgorithmThenTwoHexDigitsThenHex() throws IOException {
        Digest digest = store.put("layout".getBytes(StandardCharsets.UTF_8), Digest.Algorithm.SHA256);

        Path expected = root.resolve("blobs").resolve("sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
        assertTrue(Files.isRegularFile(expected), expected + " should hold the blob");
        assertEquals(List.of(expected), filesUnder(root.resolve("blobs")));
    }

    @Test
    void open_givesALocalFileForZeroCopySending() throws IOException {
        Digest digest = store.put(randomBytes(100, 1), Digest.Algorithm.SHA256);

        try (BlobContent content = store.open(digest, 10, 50).orElseThrow()) {
            BlobContent.LocalFile file = assertInstanceOf(BlobContent.LocalFile.class, content);
            assertEquals(10, file.position());
            assertEquals(50, file.length());
        }
    }

    @Test
    void adopt_onTheSameFileSystem_movesTheFileInsteadOfCopyingIt() throws IOException {
        byte[] content = randomBytes(1234, 2);
        Path file = Files.write(root.resolve("tmp").resolve("verified"), content);
        Object inode = Files.readAttributes(file, "unix:ino").get("ino");

        store.adopt(file, Digest.sha256(content));

        Path blob = root.resolve("blobs/sha256").resolve(Digest.sha256(content).hex().substring(0, 2))
                .resolve(Digest.sha256(content).hex());
        assertEquals(inode, Files.readAttributes(blob, "unix:ino").get("ino"), "renamed, not copied");
        assertFalse(Files.exists(file));
    }

    @Test
    void sweep_removesTemporaryFilesOlderThanTheCutoffOnly() throws IOException {
        Path stale = Files.writeString(root.resolve("tmp").resolve("stale"), "from a crashed import");
        Path fresh = Files.writeString(root.resolve("tmp").resolve("fresh"), "being written");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(7200)));

        store.sweep(Instant.now().minusSeconds(3600));

        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh));
    }

    @Test
    void forEach_ignoresFilesThatAreNoBlobs() throws IOException {
        Digest digest = store.put(randomBytes(10, 3), Digest.Algorithm.SHA256);
        Files.writeString(root.resolve("blobs/sha256").resolve(digest.hex().substring(0, 2)).resolve("notes.txt"), "x");

        assertEquals(List.of(digest), digests());
    }

    @Test
    void deleteUnlessWritten_decidesWithTheFileAwayFromItsName_andLeavesNothingAside() throws IOException {
        Digest digest = store.put(randomBytes(100, 4), Digest.Algorithm.SHA256);
        backdate(digest, Instant.now().minusSeconds(7200));

        BlobStore.Deletion deletion = store.deleteUnlessWritten(digest, Instant.now().minusSeconds(3600), () -> {
            assertFalse(Files.exists(blobPath(digest)), "no writer may refresh the file while the deletion decides");
            List<Path> aside = filesUnder(root.resolve("deleting"));
            assertEquals(1, aside.size());
            assertTrue(aside.getFirst().getFileName().toString().startsWith("sha256-" + digest.hex() + "."), aside + "");
            return true;
        });

        assertEquals(BlobStore.Deletion.DELETED, deletion);
        assertEquals(List.of(), filesUnder(root.resolve("blobs")));
        assertNoLeftovers();
    }

    @Test
    void recoverDeletions_putsBackWhatACrashLeftAside_asJustWritten() throws IOException {
        byte[] content = randomBytes(100, 5);
        Digest digest = store.put(content, Digest.Algorithm.SHA256);
        backdate(digest, Instant.now().minusSeconds(7200));
        // What a process that crashed while its deletion was deciding leaves behind:
        Files.move(blobPath(digest), root.resolve("deleting").resolve("sha256-" + digest.hex() + ".crashed"));
        Files.writeString(root.resolve("deleting").resolve("notes.txt"), "not a deletion's");

        store.recoverDeletions();

        assertArrayEquals(content, readAll(store, digest));
        assertEquals(List.of(root.resolve("deleting").resolve("notes.txt")), filesUnder(root.resolve("deleting")));
        assertEquals(BlobStore.Deletion.WRITTEN_SINCE,
                store.deleteUnlessWritten(digest, Instant.now().minusSeconds(3600), () -> true));
    }

    /** Another process, which took the lease over from a stalled one, recovers while the stalled one decides. */
    @Test
    void aRecoveryWhileADeletionDecides_keepsTheContent() throws IOException {
        byte[] content = randomBytes(100, 7);
        Digest digest = store.put(content, Digest.Algorithm.SHA256);
        backdate(digest, Instant.now().minusSeconds(7200));

        store.deleteUnlessWritten(digest, Instant.now().minusSeconds(3600), () -> {
            store.recoverDeletions();
            return true;
        });

        assertArrayEquals(content, readAll(store, digest));
        assertNoLeftovers();
    }

    @Test
    void adopt_ofAnUploadWrittenLongAgo_countsAsWrittenNow() throws IOException {
        byte[] content = randomBytes(100, 6);
        Path upload = Files.write(root.resolve("tmp").resolve("paused-upload"), content);
        Files.setLastModifiedTime(upload, FileTime.from(Instant.now().minusSeconds(7200)));

        store.adopt(upload, Digest.sha256(content));

        assertEquals(BlobStore.Deletion.WRITTEN_SINCE,
                store.deleteUnlessWritten(Digest.sha256(content), Instant.now().minusSeconds(3600), () -> true));
    }

    @Test
    void constructor_createsStorageFolders() {
        assertTrue(Files.isDirectory(root.resolve("blobs")));
        assertTrue(Files.isDirectory(root.resolve("tmp")));
        assertTrue(Files.isDirectory(root.resolve("deleting")));
    }
}
