package io.berth.store.blob;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Upload sessions on the local file system, laid out as {@link StoragePaths} describes: each is a
 * folder under {@code uploads/} whose {@code data} file holds the bytes received so far. A
 * finished upload is handed to the {@link BlobStore} with {@link BlobStore#adopt}, which for a
 * filesystem store on the same disk is a rename. The running hash of each session is kept in
 * memory while the process lives and recomputed from the file after a restart.
 */
public final class FilesystemUploadStore implements UploadStore {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final StoragePaths paths;
    private final BlobStore blobs;
    private final ConcurrentHashMap<String, SessionState> states = new ConcurrentHashMap<>();

    public FilesystemUploadStore(StoragePaths paths, BlobStore blobs) throws IOException {
        this.paths = paths;
        this.blobs = blobs;
        Files.createDirectories(paths.uploads());
    }

    @Override
    public String create(Digest.Algorithm algorithm) throws IOException {
        String id = UUID.randomUUID().toString();
        try {
            Files.createDirectories(paths.upload(id));
            Files.createFile(paths.uploadData(id));
            if (algorithm != Digest.Algorithm.SHA256) {
                Files.writeString(paths.upload(id).resolve("algorithm"), algorithm.prefix());
            }
        } catch (IOException e) {
            deleteTree(paths.upload(id));
            throw StorageFull.orElse(e);
        }
        return id;
    }

    @Override
    public boolean exists(String id) {
        return id != null && ID.matcher(id).matches() && Files.exists(paths.uploadData(id));
    }

    @Override
    public long size(String id) throws IOException {
        try {
            return Math.min(Files.size(dataFile(id)), acknowledged(id));
        } catch (NoSuchFileException e) {
            throw unknown(id);
        }
    }

    @Override
    public Chunk beginChunk(String id, long expectedStart) throws IOException {
        SessionState state = lock(id);
        boolean handedOver = false;
        try {
            FileChannel channel = FileChannel.open(dataFile(id), StandardOpenOption.WRITE);
            try {
                long start = cutToAcknowledged(id, channel);
                if (expectedStart >= 0 && expectedStart != start) {
                    throw new RegistryException(ErrorCode.CHUNK_OUT_OF_ORDER, "chunk starts at byte " + expectedStart
                            + " but the upload holds " + start + " bytes: resume from byte " + start, id);
                }
                state.catchUp(dataFile(id), start);
                Chunk chunk = new FileChunk(state, channel, start, paths.uploadAcknowledged(id));
                handedOver = true;
                return chunk;
            } finally {
                if (!handedOver) {
                    channel.close();
                }
            }
        } finally {
            if (!handedOver) {
                state.lock.unlock();
            }
        }
    }

    @Override
    public void complete(String id, Digest expected) throws IOException {
        SessionState state = lock(id);
        try {
            Path data = dataFile(id);
            try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
                cutToAcknowledged(id, channel);
            }
            Digest actual = state.digestOf(data, expected.algorithm());
            if (!actual.equals(expected)) {
                deleteLocked(id);
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "uploaded content has digest " + actual
                        + ", not " + expected + ": the upload was discarded, upload the blob again", expected.toString());
            }
            // When the store holds this verified content already, durably, this copy just goes; the
            // held one is refreshed, as every write must (BlobStore), or adopted when it is gone.
            if (!blobs.refresh(expected)) {
                try {
                    Fsync.file(data);
                } catch (IOException e) {
                    throw StorageFull.orElse(e); // writeback of what the chunks left in memory
                }
                blobs.adopt(data, expected);
            }
            deleteLocked(id);
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public void delete(String id) throws IOException {
        if (id == null || !ID.matcher(id).matches()) {
            return;
        }
        SessionState state = states.computeIfAbsent(id, k -> new SessionState());
        state.lock.lock();
        try {
            deleteLocked(id);
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public List<String> idleSince(Instant cutoff) throws IOException {
        List<String> idle = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(paths.uploads())) {
            for (Path dir : dirs) {
                if (lastWritten(dir).isBefore(cutoff)) {
                    idle.add(dir.getFileName().toString());
                }
            }
        }
        return idle;
    }

    /** Folders whose name is no session id (a crash may leave odd ones) have no session and go at once. */
    @Override
    public boolean deleteIfIdle(String name, Instant cutoff) throws IOException {
        Path dir = paths.uploads().resolve(name).normalize();
        if (!paths.uploads().equals(dir.getParent())) {
            throw new IllegalArgumentException("'" + name + "' is not a folder directly under " + paths.uploads());
        }
        if (!ID.matcher(name).matches()) {
            deleteTree(dir);
            return true;
        }
        SessionState state = states.computeIfAbsent(name, k -> new SessionState());
        state.lock.lock();
        try {
            if (Files.exists(dir) && !lastWritten(dir).isBefore(cutoff)) {
                return false;
            }
            deleteLocked(name);
            return true;
        } finally {
            state.lock.unlock();
        }
    }

    /** Takes the session's lock, knowing its algorithm; fails with BLOB_UPLOAD_UNKNOWN when it does not exist. */
    private SessionState lock(String id) throws IOException {
        SessionState state = states.computeIfAbsent(requireValid(id), k -> new SessionState());
        state.lock.lock();
        try {
            if (!Files.exists(dataFile(id))) {
                states.remove(id, state);
                throw unknown(id);
            }
            if (state.algorithm == null) {
                state.algorithm = algorithmOf(id);
            }
            return state;
        } catch (RuntimeException | IOException e) {
            state.lock.unlock();
            throw e;
        }
    }

    private Digest.Algorithm algorithmOf(String id) throws IOException {
        try {
            String prefix = Files.readString(paths.upload(id).resolve("algorithm"), StandardCharsets.US_ASCII).trim();
            return Digest.Algorithm.byPrefix(prefix).orElse(Digest.Algorithm.SHA256);
        } catch (NoSuchFileException e) {
            return Digest.Algorithm.SHA256;
        }
    }

    private static Instant lastWritten(Path dir) throws IOException {
        Path data = dir.resolve("data");
        return (Files.exists(data) ? Files.getLastModifiedTime(data) : Files.getLastModifiedTime(dir)).toInstant();
    }

    /** Drops data past the acknowledged size (left by a crash mid-chunk); returns the size. */
    private long cutToAcknowledged(String id, FileChannel data) throws IOException {
        long acknowledged = acknowledged(id);
        if (data.size() > acknowledged) {
            data.truncate(acknowledged);
        }
        return data.size();
    }

    private long acknowledged(String id) throws IOException {
        try (FileChannel in = FileChannel.open(paths.uploadAcknowledged(id), StandardOpenOption.READ)) {
            ByteBuffer value = ByteBuffer.allocate(Long.BYTES);
            while (value.hasRemaining() && in.read(value) >= 0) {
                // read all 8 bytes
            }
            return value.hasRemaining() ? 0 : value.flip().getLong();
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private void deleteLocked(String id) throws IOException {
        deleteTree(paths.upload(id));
        states.remove(id);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    private Path dataFile(String id) {
        return paths.uploadData(requireValid(id));
    }

    private static String requireValid(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw unknown(id);
        }
        return id;
    }

    private static RegistryException unknown(String id) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN,
                "upload session " + id + " does not exist or has expired: start a new upload", id);
    }
}
