package io.berth.store.transfer.archive;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes ustar archives for tests: regular files, folders and symbolic links, with a PAX
 * extended header for names longer than 100 bytes, fixed mtime and owner.
 */
final class TestTar implements Closeable {
    private final OutputStream out;

    TestTar(OutputStream out) {
        this.out = out;
    }

    /** A tar of {@code files} as (name, bytes) pairs, in memory. */
    static byte[] of(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TestTar tar = new TestTar(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                tar.file(namesAndContents[i], namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    /** Writes every file and folder under {@code dir} (sorted, symlinks kept as links) into {@code tarFile}. */
    static void ofDirectory(Path dir, Path tarFile) throws IOException {
        try (OutputStream file = Files.newOutputStream(tarFile); TestTar tar = new TestTar(file);
             Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = walk.filter(p -> !p.equals(dir)).sorted().toList();
            for (Path p : paths) {
                String name = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    tar.symlink(name, Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p)) {
                    tar.header(name + "/", '5', 0, "");
                } else {
                    tar.header(name, '0', Files.size(p), "");
                    try (InputStream in = Files.newInputStream(p)) {
                        long n = in.transferTo(tar.out);
                        tar.pad(n);
                    }
                }
            }
        }
    }

    void file(String name, byte[] data) throws IOException {
        header(name, '0', data.length, "");
        out.write(data);
        pad(data.length);
    }

    void symlink(String name, String target) throws IOException {
        header(name, '2', 0, target);
    }

    /** Writes a header (and a PAX header before it for a long name); the caller writes the data and pads. */
    void header(String name, char type, long size, String link) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            String record = "path=" + name + "\n";
            int base = record.getBytes(StandardCharsets.UTF_8).length + 1;
            int length = base + String.valueOf(base).length();
            length = base + String.valueOf(length).length();
            byte[] pax = (length + " " + record).getBytes(StandardCharsets.UTF_8);
            writeHeader("PaxHeaders/x", 'x', pax.length, "");
            out.write(pax);
            pad(pax.length);
            name = name.substring(name.length() - 90);
        }
        writeHeader(name, type, size, link);
    }

    private void writeHeader(String name, char type, long size, String link) throws IOException {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, "0000644");
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", 1704067200L));
        put(h, 148, 8, "        ");
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar\0");
        put(h, 263, 2, "00");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, String.format("%06o", sum) + "\0 ");
        out.write(h);
    }

    void pad(long size) throws IOException {
        int rest = (int) (TarIndex.padded(size) - size);
        out.write(new byte[rest]);
    }

    private static void put(byte[] h, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, h, offset, Math.min(bytes.length, length));
    }

    @Override
    public void close() throws IOException {
        out.write(new byte[1024]);
        out.close();
    }
}
