package io.berth.gateway.http;

import io.netty.buffer.ByteBuf;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/** Bytes of a response body that may block to read: read on a blocking thread only. */
interface BlockingSource extends Closeable {

    /** Reads at most {@code max} bytes onto the end of {@code into}; -1 at the end of the source. */
    int read(ByteBuf into, int max) throws IOException;

    /** A channel, read from where it stands. */
    static BlockingSource of(ReadableByteChannel channel) {
        return new BlockingSource() {
            @Override
            public int read(ByteBuf into, int max) throws IOException {
                into.ensureWritable(max);
                // A buffer this class allocated is one piece, so this view writes into it.
                ByteBuffer target = into.nioBuffer(into.writerIndex(), max);
                int n = channel.read(target);
                if (n > 0) {
                    into.writerIndex(into.writerIndex() + n);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** A stream, read from where it stands. */
    static BlockingSource of(InputStream stream) {
        return new BlockingSource() {
            @Override
            public int read(ByteBuf into, int max) throws IOException {
                return into.writeBytes(stream, max);
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    /** Part of a file from {@code offset}, read with positional reads (the file's own position is not used). */
    static BlockingSource of(FileChannel file, long offset) {
        return new BlockingSource() {
            private long position = offset;

            @Override
            public int read(ByteBuf into, int max) throws IOException {
                int n = into.writeBytes(file, position, max);
                if (n > 0) {
                    position += n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }
}
