package io.berth.store.blob;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory part of an upload session: its lock and its running hash in the session's
 * algorithm. Lost on a restart, and then recomputed from the file the first time it is needed.
 * Every field is guarded by {@link #lock}.
 */
final class SessionState {
    final ReentrantLock lock = new ReentrantLock();
    /** Null until the session's algorithm was read from its folder. */
    Digest.Algorithm algorithm;
    MessageDigest hash;
    long hashed;

    /** Makes the running hash cover exactly the first {@code size} bytes of the file. */
    void catchUp(Path data, long size) throws IOException {
        if (hash != null && hashed == size) {
            return;
        }
        hash = hashPrefix(data, algorithm, size);
        hashed = size;
    }

    /** The digest of the whole file in {@code wanted}: from the running hash when it is the session's algorithm. */
    Digest digestOf(Path data, Digest.Algorithm wanted) throws IOException {
        long size = Files.size(data);
        if (wanted == algorithm) {
            catchUp(data, size);
            return Digest.of(wanted, copy(hash).digest());
        }
        return Digest.of(wanted, hashPrefix(data, wanted, size).digest());
    }

    static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-2 digests are cloneable", e);
        }
    }

    private static MessageDigest hashPrefix(Path data, Digest.Algorithm algorithm, long size) throws IOException {
        MessageDigest hasher = algorithm.newHasher();
        try (InputStream in = Channels.newInputStream(FileChannel.open(data, StandardOpenOption.READ))) {
            byte[] buffer = new byte[1 << 16];
            long left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                hasher.update(buffer, 0, n);
                left -= n;
            }
        }
        return hasher;
    }
}
