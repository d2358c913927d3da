package io.berth.store.transfer.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX (ustar) tar as a stream: each entry's header declares its size up front, its data
 * follows as the caller writes it, and {@link #closeEntry} refuses an entry that got more or fewer
 * bytes than declared (the tar would be corrupt). Names longer than 100 bytes (a sha512 blob path)
 * get a PAX {@code path} record; sizes from 8 GiB on are written in the base-256 form GNU tar,
 * Go's {@code archive/tar} and libarchive read. Files are 0644 and directories 0755, owned by
 * 0:0, all with one modification time, so the same content makes the same bytes.
 */
final class TarWriter {
    static final int BLOCK = 512;
    private static final long MAX_OCTAL_SIZE = 077777777777L;

    private final OutputStream out;
    private final long mtime;
    private long declared = -1;
    private long written;

    /** @param mtimeSeconds every entry's modification time, seconds since the epoch */
    TarWriter(OutputStream out, long mtimeSeconds) {
        this.out = out;
        this.mtime = mtimeSeconds;
    }

    /** A whole small file. */
    void file(String name, byte[] data) throws IOException {
        beginFile(name, data.length);
        write(data, 0, data.length);
        closeEntry();
    }

    /** A directory entry ({@code name} ends with '/'). */
    void directory(String name) throws IOException {
        header(name, 0, '5', 0755);
    }

    /** Starts a file of {@code size} bytes; its data follows through {@link #write}. */
    void beginFile(String name, long size) throws IOException {
        if (declared >= 0) {
            throw new IllegalStateException("the tar entry before " + name + " was not closed");
        }
        header(name, size, '0', 0644);
        declared = size;
        written = 0;
    }

    /** Data of the current file; refuses more than its header declared. */
    void write(byte[] b, int off, int len) throws IOException {
        if (written + len > declared) {
            throw new IOException("more bytes than the " + declared + " declared");
        }
        out.write(b, off, len);
        written += len;
    }

    /** Ends the current file, padding it to a block; refuses fewer bytes than declared. */
    void closeEntry() throws IOException {
        if (written != declared) {
            throw new IOException(written + " bytes where " + declared + " were declared");
        }
        pad(declared);
        declared = -1;
    }

    /** The end-of-archive marker: two zero blocks. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
    }

    private void header(String name, long size, char type, int mode) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            byte[] record = pax("path", name);
            writeHeader(("PaxHeaders/" + Math.abs(name.hashCode())).getBytes(StandardCharsets.US_ASCII),
                    record.length, 'x', 0644);
            out.write(record);
            pad(record.length);
            nameBytes = Arrays.copyOf(nameBytes, 100);
        }
        writeHeader(nameBytes, size, type, mode);
    }

    private void writeHeader(byte[] name, long size, char type, int mode) throws IOException {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        if (size <= MAX_OCTAL_SIZE) {
            octal(h, 124, 12, size);
        } else {
            h[124] = (byte) 0x80; // base-256: the rest of the field is the size, big-endian
            for (int i = 0; i < 8; i++) {
                h[135 - i] = (byte) (size >>> (8 * i));
            }
        }
        octal(h, 136, 12, mtime);
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        out.write(h);
    }

    private static byte[] pax(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int bodyLength = body.getBytes(StandardCharsets.UTF_8).length;
        int length = bodyLength + 1;
        while (String.valueOf(length).length() + bodyLength != length) {
            length++;
        }
        return (length + body).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code width - 1} octal digits, zero-padded, and a NUL. */
    private static void octal(byte[] h, int offset, int width, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(width - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, offset, width - 1);
        h[offset + width - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
