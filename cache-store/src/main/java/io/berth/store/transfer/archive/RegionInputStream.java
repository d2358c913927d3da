package io.berth.store.transfer.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A stream of one member's data, read from its place in the archive with positioned reads: no
 * copy, no extraction, and any number of members may be streamed at once.
 */
final class RegionInputStream extends InputStream {
    private final ByteSource source;
    private final String member;
    private final long end;
    private long position;

    RegionInputStream(ByteSource source, String member, long offset, long length) {
        this.source = source;
        this.member = member;
        this.position = offset;
        this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        int want = (int) Math.min(len, end - position);
        int n = source.read(position, ByteBuffer.wrap(b, off, want));
        if (n <= 0) {
            throw new ArchiveException(source.describe() + " ends inside " + member + " (at " + source.locate(position)
                    + "): " + source.advice("the archive is truncated or a part is missing; copy it again"));
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, end - position);
    }
}
