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

/** The in-memory part of a session: its lock and its running sha256. */
final class SessionState {
    final ReentrantLock lock = new ReentrantLock();
    MessageDigest sha256 = Digest.Algorithm.SHA256.newHasher();
    long hashed;

    /** Makes the running hash cover exactly the first {@code size} bytes of the file. */
    void catchUp(Path data, long size) throws IOException {
        if (hashed == size) {
            return;
        }
        sha256 = hashPrefix(data, Digest.Algorithm.SHA256, size);
        hashed = size;
    }

    Digest digestOf(Path data, Digest.Algorithm algorithm) throws IOException {
        long size = Files.size(data);
        if (algorithm == Digest.Algorithm.SHA256) {
            catchUp(data, size);
            return Digest.of(algorithm, UploadSessions.copy(sha256).digest());
        }
        return Digest.of(algorithm, hashPrefix(data, algorithm, size).digest());
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
