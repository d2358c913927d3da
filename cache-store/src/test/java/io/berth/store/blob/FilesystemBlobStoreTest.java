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
    void constructor_createsStorageFolders() {
        assertTrue(Files.isDirectory(root.resolve("blobs")));
        assertTrue(Files.isDirectory(root.resolve("tmp")));
    }
}
