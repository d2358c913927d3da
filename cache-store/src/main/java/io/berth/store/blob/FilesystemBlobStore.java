package io.berth.store.blob;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Blob storage on a local file system, laid out as {@link StoragePaths} describes. Blobs are
 * opened as {@link BlobContent.LocalFile}, so the gateway sends them with {@code sendfile}.
 * Writes go to a temporary file under {@code tmp/}, are verified and fsynced, then renamed into
 * place, so a reader never sees a partial or unverified blob.
 */
public final class FilesystemBlobStore implements BlobStore {
    private final StoragePaths paths;
    private final FilesystemDeletion deletion;

    public FilesystemBlobStore(StoragePaths paths) throws IOException {
        this.paths = paths;
        this.deletion = new FilesystemDeletion(paths);
        Files.createDirectories(paths.blobs());
        Files.createDirectories(paths.tmp());
        Files.createDirectories(paths.deleting());
    }

    public StoragePaths paths() {
        return paths;
    }

    @Override
    public OptionalLong stat(Digest digest) throws IOException {
        try {
            return OptionalLong.of(Files.size(paths.blob(digest)));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public Optional<BlobContent> open(Digest digest, long offset, long length) throws IOException {
        FileChannel file;
        try {
            file = FileChannel.open(paths.blob(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            long size = file.size();
            if (offset < 0 || length < 0 || offset + length > size) {
                throw new IllegalArgumentException("span " + offset + "+" + length + " is outside blob " + digest
                        + " of " + size + " bytes");
            }
            return Optional.of(new BlobContent.LocalFile(file, offset, length));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public InputStream read(Digest digest) throws IOException {
        return Files.newInputStream(paths.blob(digest));
    }

    @Override
    public Digest put(byte[] content, Digest.Algorithm algorithm) throws IOException {
        Digest digest = Digest.of(algorithm, algorithm.newHasher().digest(content));
        if (refresh(digest)) {
            return digest;
        }
        Path tmp = newTempFile();
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveIntoPlace(tmp, digest);
            return digest;
        } catch (IOException e) {
            throw StorageFull.orElse(e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Digest ingest(InputStream content, Digest expected, long expectedSize) throws IOException {
        Digest.Algorithm algorithm = expected != null ? expected.algorithm() : Digest.Algorithm.SHA256;
        MessageDigest hasher = algorithm.newHasher();
        Path tmp = newTempFile();
        try {
            long size;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), hasher)) {
                size = content.transferTo(out);
            }
            Digest actual = Digest.of(algorithm, hasher.digest());
            if (expectedSize >= 0 && size != expectedSize) {
                throw new RegistryException(ErrorCode.SIZE_INVALID, "content has " + size + " bytes, not the expected "
                        + expectedSize, expected == null ? null : expected.toString());
            }
            if (expected != null && !expected.equals(actual)) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID,
                        "content has digest " + actual + ", not the expected " + expected, expected.toString());
            }
            Fsync.file(tmp);
            moveIntoPlace(tmp, actual);
            return actual;
        } catch (IOException e) {
            throw StorageFull.orElse(e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void adopt(Path verifiedFile, Digest digest) throws IOException {
        try {
            moveIntoPlace(verifiedFile, digest);
        } catch (AtomicMoveNotSupportedException e) {
            // Another file system (uploads on a local disk, blobs on a network share): copy, then rename.
            try (InputStream in = Files.newInputStream(verifiedFile)) {
                ingest(in, digest, Files.size(verifiedFile));
            }
            Files.deleteIfExists(verifiedFile);
        }
    }

    /**
     * Refreshes the file's time through its name; false when there is no file under the name (never
     * written, or taken away by a deletion: then it must be written anew).
     */
    @Override
    public boolean refresh(Digest digest) throws IOException {
        try {
            Files.setLastModifiedTime(paths.blob(digest), FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException | AccessDeniedException e) {
            return false; // not held; or a file Berth may not touch (restored by another user): written anew over it
        }
    }

    /**
     * Renames a verified, durable file onto its blob path, and makes the rename durable. The file's
     * time is set first: an adopted upload may have been written long ago, and a deletion must see
     * this write however soon after the rename it looks.
     */
    private void moveIntoPlace(Path file, Digest digest) throws IOException {
        Path target = paths.blob(digest);
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            Files.createDirectories(target.getParent());
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw e;
        } catch (IOException e) {
            throw StorageFull.orElse(e); // a new fan-out folder needs space too
        }
        Fsync.directory(target.getParent());
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        return Files.deleteIfExists(paths.blob(digest));
    }

    /** See {@link FilesystemDeletion} for how this stays safe while the same content is written. */
    @Override
    public Deletion deleteUnlessWritten(Digest digest, Instant cutoff, UnusedCheck unused) throws IOException {
        return deletion.deleteUnlessWritten(digest, cutoff, unused);
    }

    @Override
    public void recoverDeletions() throws IOException {
        deletion.recover();
    }

    @Override
    public void forEach(BlobVisitor visitor) throws IOException {
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            Path algorithmDir = paths.blobs().resolve(algorithm.prefix());
            if (!Files.isDirectory(algorithmDir)) {
                continue;
            }
            try (DirectoryStream<Path> fanOut = Files.newDirectoryStream(algorithmDir)) {
                for (Path dir : fanOut) {
                    visitFolder(algorithm, dir, visitor);
                }
            }
        }
    }

    private static void visitFolder(Digest.Algorithm algorithm, Path dir, BlobVisitor visitor) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Optional<Digest> digest = Digest.tryParse(algorithm.prefix() + ':' + file.getFileName());
                if (digest.isEmpty()) {
                    continue; // not a blob: nothing the store wrote
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // deleted meanwhile
                }
                visitor.visit(new BlobInfo(digest.get(), attributes.size(), attributes.lastModifiedTime().toInstant()));
            }
        }
    }

    @Override
    public void sweep(Instant cutoff) throws IOException {
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(paths.tmp())) {
            for (Path file : tmp) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(file);
                    }
                } catch (NoSuchFileException e) {
                    // finished meanwhile
                }
            }
        }
    }

    private Path newTempFile() throws IOException {
        Path tmp = paths.tmp().resolve(UUID.randomUUID().toString());
        try {
            Files.createFile(tmp);
        } catch (IOException e) {
            throw StorageFull.orElse(e);
        }
        return tmp;
    }
}
