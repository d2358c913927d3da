package io.berth.store.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * One chunk being applied to a session on the file system: writes go to the end of the session's
 * data file and into its running hash; {@link #commit()} records the new size as acknowledged;
 * closing without a commit truncates the file and rewinds the hash. Holds the session's lock
 * from creation until {@link #close()}.
 */
final class FileChunk implements UploadStore.Chunk {
    /** How much a chunk writes before it asks the kernel to start writing it to disk. */
    static final long WRITEBACK_STEP = 32L << 20;

    private final SessionState state;
    private final FileChannel channel;
    private final long start;
    private final MessageDigest hashAtStart;
    private final Path acknowledged;
    private long position;
    private long unflushed;
    private boolean committed;

    FileChunk(SessionState state, FileChannel channel, long start, Path acknowledged) {
        this.state = state;
        this.channel = channel;
        this.start = start;
        this.acknowledged = acknowledged;
        this.position = start;
        this.hashAtStart = SessionState.copy(state.hash);
    }

    @Override
    public long start() {
        return start;
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
        ByteBuffer forHash = buffer.duplicate();
        int length = buffer.remaining();
        try {
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        } catch (IOException e) {
            throw StorageFull.orElse(e);
        }
        state.hash.update(forHash);
        state.hashed = position;
        unflushed += length;
        if (unflushed >= WRITEBACK_STEP) {
            unflushed = 0;
            Writeback.start(channel);
        }
    }

    @Override
    public long commit() throws IOException {
        ByteBuffer size = ByteBuffer.allocate(Long.BYTES).putLong(0, position);
        try (FileChannel out = FileChannel.open(acknowledged, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (size.hasRemaining()) {
                out.write(size, size.position());
            }
        } catch (IOException e) {
            throw StorageFull.orElse(e);
        }
        committed = true;
        return position;
    }

    @Override
    public void close() throws IOException {
        try (FileChannel file = channel) {
            if (!committed) {
                state.hash = hashAtStart;
                state.hashed = start;
                file.truncate(start);
            }
        } finally {
            state.lock.unlock();
        }
    }
}
