package io.berth.store.transfer.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One archive file read with positioned {@link FileChannel} reads (safe from several threads). */
final class FileSource implements ByteSource {
    private final Path path;
    private final FileChannel channel;
    private final long size;

    private FileSource(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    static FileSource open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new FileSource(path, channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
        if (position >= size) {
            return -1;
        }
        if (dst.remaining() > size - position) {
            ByteBuffer slice = dst.slice(dst.position(), (int) (size - position));
            int n = channel.read(slice, position);
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        return channel.read(dst, position);
    }

    @Override
    public String locate(long position) {
        return path + " at byte " + position;
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
