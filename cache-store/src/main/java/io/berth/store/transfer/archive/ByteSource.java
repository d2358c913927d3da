package io.berth.store.transfer.archive;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes that can be read at any position without reading what comes before: one archive file, or
 * the parts of a split bundle seen as one. Positioned reads only, so several blobs may be streamed
 * from one source at once.
 */
interface ByteSource extends Closeable {

    /** How many bytes the source holds. */
    long size();

    /**
     * Reads up to {@code dst.remaining()} bytes starting at {@code position}; returns how many
     * were read, or -1 when {@code position} is at or past the end.
     */
    int read(long position, ByteBuffer dst) throws IOException;

    /** Where byte {@code position} is, for messages: "bundle.tar.001 at byte 1234". */
    String locate(long position);

    /** What the source is, for messages: the file, or the first and last part. */
    String describe();

    /**
     * What most likely broke the source when its content makes no sense, with what to do: for
     * split parts, a part shorter than the first; empty when nothing stands out.
     */
    default String suspect() {
        return "";
    }

    /** The advice for damaged content: the {@link #suspect()} when there is one, else to copy it again. */
    default String advice(String otherwise) {
        String suspect = suspect();
        return suspect.isEmpty() ? otherwise : suspect;
    }

    /** Reads exactly {@code dst.remaining()} bytes or fails saying where the source ended. */
    default void readFully(long position, ByteBuffer dst, String what) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = read(at, dst);
            if (n < 0) {
                throw new ArchiveException(describe() + " ends inside " + what + ", " + dst.remaining()
                        + " bytes short (at " + locate(size()) + "): " + advice("the archive is truncated or a part"
                        + " of it is missing; copy it again"));
            }
            at += n;
        }
    }
}
