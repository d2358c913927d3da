package io.berth.store.blob;

import io.berth.store.error.RegistryException;
import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.OptionalLong;
import java.util.UUID;

/** Blob storage on a local file system, laid out as {@link StoragePaths} describes. */
public final class FilesystemBlobStore implements BlobReader, BlobWriter {
    private final StoragePaths paths;

    public FilesystemBlobStore(StoragePaths paths) throws IOException {
        this.paths = paths;
        Files.createDirectories(paths.blobs());
        Files.createDirectories(paths.uploads());
        Files.createDirectories(paths.tmp());
    }

    public StoragePaths paths() {
        return paths;
    }

    @Override
    public OptionalLong size(Digest digest) throws IOException {
        try {
            return OptionalLong.of(Files.size(paths.blob(digest)));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public SeekableByteChannel open(Digest digest) throws IOException {
        return FileChannel.open(paths.blob(digest), StandardOpenOption.READ);
    }

    @Override
    public void commit(Path verifiedFile, Digest digest) throws IOException {
        Path target = paths.blob(digest);
        Files.createDirectories(target.getParent());
        try {
            Files.move(verifiedFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("storage root " + paths.root() + " must be one file system: " + e.getMessage(), e);
        }
        Fsync.directory(target.getParent());
    }

    @Override
    public Digest put(byte[] content, Digest.Algorithm algorithm) throws IOException {
        Digest digest = Digest.of(algorithm, algorithm.newHasher().digest(content));
        if (size(digest).isPresent()) {
            return digest;
        }
        Path tmp = newTempFile();
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            commit(tmp, digest);
            return digest;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Digest ingest(InputStream content, Digest expected) throws IOException {
        Digest.Algorithm algorithm = expected != null ? expected.algorithm() : Digest.Algorithm.SHA256;
        MessageDigest hasher = algorithm.newHasher();
        Path tmp = newTempFile();
        try {
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), hasher)) {
                content.transferTo(out);
            }
            Digest actual = Digest.of(algorithm, hasher.digest());
            if (expected != null && !expected.equals(actual)) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID,
                        "content has digest " + actual + ", not the expected " + expected, expected.toString());
            }
            Fsync.file(tmp);
            commit(tmp, actual);
            return actual;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(paths.blob(digest));
    }

    private Path newTempFile() throws IOException {
        Path tmp = paths.tmp().resolve(UUID.randomUUID().toString());
        Files.createFile(tmp);
        return tmp;
    }
}
