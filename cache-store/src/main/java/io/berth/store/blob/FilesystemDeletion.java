package io.berth.store.blob;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

/**
 * How {@link FilesystemBlobStore} removes a blob without racing its writers. A writer of content
 * the store holds refreshes the file's modification time through its name; a writer that finds no
 * file under the name writes a new one. So the deletion first renames the file away from its name
 * into {@code deleting/} (one atomic step: from then on no writer can refresh this file, and a
 * writer that comes along writes a new one, which this deletion never touches), then reads the
 * modification time of what it took (every refresh made before the rename shows there), then asks
 * whether the content is still unused, and removes the file or renames it back.
 */
final class FilesystemDeletion {
    private final StoragePaths paths;

    FilesystemDeletion(StoragePaths paths) {
        this.paths = paths;
    }

    BlobStore.Deletion deleteUnlessWritten(Digest digest, Instant cutoff, BlobStore.UnusedCheck unused)
            throws IOException {
        Path blob = paths.blob(digest);
        Path aside = paths.deleting(digest);
        try {
            Files.move(blob, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return BlobStore.Deletion.ABSENT;
        }
        boolean putBack = true;
        try {
            if (!Files.getLastModifiedTime(aside).toInstant().isBefore(cutoff)) {
                return BlobStore.Deletion.WRITTEN_SINCE;
            }
            if (!unused.stillUnused()) {
                return BlobStore.Deletion.IN_USE;
            }
            putBack = false;
        } finally {
            if (putBack) {
                putBack(aside, blob);
            }
        }
        Files.deleteIfExists(aside);
        return BlobStore.Deletion.DELETED;
    }

    /** Renames back every blob a crash left in {@code deleting/}. */
    void recover() throws IOException {
        if (!Files.isDirectory(paths.deleting())) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(paths.deleting())) {
            for (Path file : files) {
                Optional<Digest> digest = StoragePaths.deletingDigest(file);
                if (digest.isPresent()) {
                    putBack(file, paths.blob(digest.get()));
                }
            }
        }
    }

    /**
     * Renames content back under its name, as if just written: its time is refreshed first, so the
     * name never shows the old one. A newer copy written meanwhile is replaced by identical bytes.
     */
    private static void putBack(Path aside, Path blob) throws IOException {
        try {
            Files.setLastModifiedTime(aside, FileTime.from(Instant.now()));
            Files.createDirectories(blob.getParent());
            Files.move(aside, blob, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return; // put back already (a recovery after this process lost its lease)
        }
        Fsync.directory(blob.getParent());
    }
}
