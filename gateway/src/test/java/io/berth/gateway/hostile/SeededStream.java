package io.berth.gateway.hostile;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/** {@code size} incompressible bytes made from a seed as they are read, so no client holds a blob in memory. */
final class SeededStream extends InputStream {
    private final SplittableRandom random;
    private long left;
    /** Bytes come from one long at a time, whatever the read sizes, so the content depends on the seed only. */
    private long current;
    private int usedOfCurrent = 8;

    SeededStream(long seed, long size) {
        this.random = new SplittableRandom(seed);
        this.left = size;
    }

    /** The sha256 digest of the stream of this seed and size. */
    static String digest(long seed, long size) {
        var sha256 = Digest.Algorithm.SHA256.newHasher();
        byte[] buffer = new byte[64 * 1024];
        try (SeededStream in = new SeededStream(seed, size)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Digest.of(Digest.Algorithm.SHA256, sha256.digest()).toString();
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (left <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
            if (usedOfCurrent == 8) {
                current = random.nextLong();
                usedOfCurrent = 0;
            }
            b[off + i] = (byte) (current >>> (8 * usedOfCurrent++));
        }
        left -= n;
        return n;
    }
}
