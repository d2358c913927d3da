package io.berth.store.upstream;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * The hash of a blob's first {@link #offset} bytes, as far as an upload has got with the registry.
 * When an upload resumes where the registry stands (which may be inside the chunk that failed, or
 * behind it), the hash is brought there by reading, not sending, the bytes between: from this
 * checkpoint when the registry is ahead of it, from the start otherwise. An unhashed checkpoint
 * ({@link PushOptions#checkSource} off) keeps the offset alone: nothing is read to move it.
 */
final class HashCheckpoint {
    private static final int BUFFER = 64 * 1024;

    private final Digest.Algorithm algorithm;
    private final long offset;
    private final MessageDigest state;

    private HashCheckpoint(Digest.Algorithm algorithm, long offset, MessageDigest state) {
        this.algorithm = algorithm;
        this.offset = offset;
        this.state = state;
    }

    /** No bytes hashed yet. */
    static HashCheckpoint start(Digest.Algorithm algorithm) {
        return start(algorithm, true);
    }

    /** No bytes hashed yet; when not {@code hashed}, none ever are (the registry alone checks the digest). */
    static HashCheckpoint start(Digest.Algorithm algorithm, boolean hashed) {
        return new HashCheckpoint(algorithm, 0, hashed ? algorithm.newHasher() : null);
    }

    /** The hash of the first {@code offset} bytes, as {@code state} holds it (copied). */
    HashCheckpoint at(long newOffset, MessageDigest newState) {
        return new HashCheckpoint(algorithm, newOffset, copy(newState));
    }

    long offset() {
        return offset;
    }

    /** A copy of the hash's state, to go on from; null when unhashed. */
    MessageDigest state() {
        return copy(state);
    }

    /** The checkpoint at {@code target}, reading the source's bytes from here (or from the start) to there. */
    HashCheckpoint advanceTo(long target, BlobSource source) throws BlobSourceException {
        if (target == offset) {
            return this;
        }
        if (state == null) {
            return new HashCheckpoint(algorithm, target, null);
        }
        HashCheckpoint from = target > offset ? this : start(algorithm);
        MessageDigest hash = from.state();
        long left = target - from.offset;
        try (InputStream in = source.open(from.offset)) {
            byte[] buffer = new byte[BUFFER];
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new BlobSourceException("the blob's source ended at byte " + (target - left)
                            + ", before byte " + target + " where the registry's upload stands", null);
                }
                hash.update(buffer, 0, n);
                left -= n;
            }
        } catch (BlobSourceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BlobSourceException("reading the blob's source up to byte " + target + " (where the registry's"
                    + " upload stands) failed: " + e.getMessage(), e);
        }
        return new HashCheckpoint(algorithm, target, hash);
    }

    static MessageDigest copy(MessageDigest digest) {
        if (digest == null) {
            return null;
        }
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's " + digest.getAlgorithm() + " cannot be copied", e);
        }
    }
}
