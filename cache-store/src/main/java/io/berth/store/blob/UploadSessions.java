package io.berth.store.blob;

import io.berth.store.error.RegistryException;
import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Digest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Upload sessions on disk: each is a folder under {@code uploads/} whose {@code data} file holds
 * the bytes received so far, so a session survives a restart. The running sha256 of each session
 * is kept in memory while the process lives and recomputed from the file when it is missing
 * (after a restart) or out of step. Chunks of one session are applied one at a time, and a chunk
 * counts only once committed: one that fails is undone at once, and one that a crash interrupted
 * is cut off (back to the acknowledged size) before the session is next used.
 */
public final class UploadSessions {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final StoragePaths paths;
    private final FilesystemBlobStore blobs;
    private final ConcurrentHashMap<String, SessionState> states = new ConcurrentHashMap<>();

    public UploadSessions(StoragePaths paths, FilesystemBlobStore blobs) {
        this.paths = paths;
        this.blobs = blobs;
    }

    /** Whether {@code id} has the form of a session id (and so is safe in a path). */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Creates an empty session and returns its id. */
    public String create() throws IOException {
        String id = UUID.randomUUID().toString();
        Files.createDirectories(paths.upload(id));
        Files.createFile(paths.uploadData(id));
        return id;
    }

    /** Bytes received and acknowledged so far. */
    public long size(String id) throws IOException {
        try {
            return Math.min(Files.size(dataFile(id)), acknowledged(id));
        } catch (NoSuchFileException e) {
            throw unknown(id);
        }
    }

    /**
     * Starts applying one chunk. {@code expectedStart} is where the client says the chunk begins
     * ({@code -1} when it does not say): it must equal the bytes received so far. The returned
     * chunk holds the session until it is closed; closing without {@link Chunk#commit()} undoes
     * everything the chunk wrote.
     */
    public Chunk beginChunk(String id, long expectedStart) throws IOException {
        SessionState state = states.computeIfAbsent(requireValid(id), k -> new SessionState());
        state.lock.lock();
        boolean handedOver = false;
        try {
            Path data = dataFile(id);
            if (!Files.exists(data)) {
                states.remove(id, state);
                throw unknown(id);
            }
            FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE);
            try {
                long start = cutToAcknowledged(id, channel);
                if (expectedStart >= 0 && expectedStart != start) {
                    throw new RegistryException(ErrorCode.CHUNK_OUT_OF_ORDER, "chunk starts at byte " + expectedStart
                            + " but the upload holds " + start + " bytes: resume from byte " + start, id);
                }
                state.catchUp(data, start);
                Chunk chunk = new Chunk(state, channel, start, paths.uploadAcknowledged(id));
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

    /**
     * Verifies the session's content against {@code expected}, moves it into the store and ends
     * the session. On a mismatch the session is ended too and nothing is stored.
     */
    public void complete(String id, Digest expected) throws IOException {
        SessionState state = states.computeIfAbsent(requireValid(id), k -> new SessionState());
        state.lock.lock();
        try {
            Path data = dataFile(id);
            if (!Files.exists(data)) {
                states.remove(id, state);
                throw unknown(id);
            }
            try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
                cutToAcknowledged(id, channel);
            }
            Digest actual = state.digestOf(data, expected.algorithm());
            if (!actual.equals(expected)) {
                deleteLocked(id);
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "uploaded content has digest " + actual
                        + ", not " + expected + ": the upload was discarded, upload the blob again", expected.toString());
            }
            if (blobs.size(expected).isEmpty()) {
                Fsync.file(data);
                blobs.commit(data, expected);
            }
            // else: the store already holds this verified content, durably; this copy just goes.
            deleteLocked(id);
        } finally {
            state.lock.unlock();
        }
    }

    /** Ends a session and removes its files; an unknown session is not an error. */
    public void delete(String id) throws IOException {
        SessionState state = states.computeIfAbsent(requireValid(id), k -> new SessionState());
        state.lock.lock();
        try {
            deleteLocked(id);
        } finally {
            state.lock.unlock();
        }
    }

    /** Sessions whose data was last written before {@code cutoff}. */
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

    /**
     * Removes an idle session's folder, whatever its name (a crash may leave odd ones), as long as
     * it is a folder directly under {@code uploads/}.
     */
    public void deleteFolder(String name) throws IOException {
        deleteIfIdle(name, Instant.MAX);
    }

    /**
     * Removes a session's folder if it has not been written since {@code cutoff}, checked while
     * holding the session, so a chunk arriving meanwhile keeps it alive. Folders whose name is no
     * session id (a crash may leave odd ones) have no session and go at once.
     *
     * @return whether the folder was removed
     */
    public boolean deleteIfIdle(String name, Instant cutoff) throws IOException {
        Path dir = paths.uploads().resolve(name).normalize();
        if (!paths.uploads().equals(dir.getParent())) {
            throw new IllegalArgumentException("'" + name + "' is not a folder directly under " + paths.uploads());
        }
        if (!isValidId(name)) {
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
        if (!isValidId(id)) {
            throw unknown(id);
        }
        return id;
    }

    private static RegistryException unknown(String id) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN,
                "upload session " + id + " does not exist or has expired: start a new upload", id);
    }

    static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 must be cloneable", e);
        }
    }

    /** How much a chunk writes before it asks the kernel to start writing it to disk. */
    static final long WRITEBACK_STEP = 32L << 20;

    /**
     * One chunk being applied: writes go to the end of the session's file and into its running
     * hash. Close it always; without a commit everything it wrote is undone.
     */
    public static final class Chunk implements AutoCloseable {
        private final SessionState state;
        private final FileChannel channel;
        private final long start;
        private final MessageDigest hashAtStart;
        private final Path acknowledged;
        private long position;
        private long unflushed;
        private boolean committed;

        private Chunk(SessionState state, FileChannel channel, long start, Path acknowledged) {
            this.state = state;
            this.channel = channel;
            this.start = start;
            this.acknowledged = acknowledged;
            this.position = start;
            this.hashAtStart = UploadSessions.copy(state.sha256);
        }

        /** Where this chunk started: the bytes the session held before it. */
        public long start() {
            return start;
        }

        /** Appends the buffer's remaining bytes. */
        public void write(ByteBuffer buffer) throws IOException {
            ByteBuffer forHash = buffer.duplicate();
            int length = buffer.remaining();
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            state.sha256.update(forHash);
            state.hashed = position;
            unflushed += length;
            if (unflushed >= WRITEBACK_STEP) {
                unflushed = 0;
                Writeback.start(channel);
            }
        }

        /** Keeps what was written, recording the new size as acknowledged; returns it. */
        public long commit() throws IOException {
            ByteBuffer size = ByteBuffer.allocate(Long.BYTES).putLong(0, position);
            try (FileChannel out = FileChannel.open(acknowledged, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                while (size.hasRemaining()) {
                    out.write(size, size.position());
                }
            }
            committed = true;
            return position;
        }

        @Override
        public void close() throws IOException {
            try (FileChannel file = channel) {
                if (!committed) {
                    state.sha256 = hashAtStart;
                    state.hashed = start;
                    file.truncate(start);
                }
            } finally {
                state.lock.unlock();
            }
        }
    }
}
