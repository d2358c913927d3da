package io.berth.store.transfer.archive;

import io.berth.store.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarIndexTest {
    private static final long BIG = 200L << 20;

    @TempDir
    Path dir;

    @Test
    void indexingAnArchiveWithA200MiBMember_readsOnlyItsHeaders() throws IOException {
        Path tar = dir.resolve("big.tar");
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        new TestTar(head).header("big.bin", '0', BIG, "");
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        TestTar after = new TestTar(tail);
        after.file("after.txt", "hi".getBytes(StandardCharsets.UTF_8));
        after.close();
        try (RandomAccessFile file = new RandomAccessFile(tar.toFile(), "rw")) {
            file.write(head.toByteArray());
            file.seek(512 + BIG); // the data in between is a hole: never written, never read
            file.write(tail.toByteArray());
        }
        try (CountingSource source = new CountingSource(FileSource.open(tar))) {
            TarIndex index = TarIndex.scan(source);
            assertEquals(BIG, index.file("big.bin").orElseThrow().size());
            assertEquals(512, index.file("big.bin").orElseThrow().dataOffset());
            assertTrue(source.bytesRead.get() <= 4 * 512, "read " + source.bytesRead.get() + " bytes to index");
            TarFiles files = TarFiles.scan(source);
            try (InputStream in = files.open("after.txt")) {
                assertEquals("hi", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void gnuAndPaxArchivesFromGnuTar_giveLongNamesSymlinksAndHardLinks() throws IOException {
        String tarBinary = Requirements.executable("tar");
        String longFolder = "a-folder-whose-name-is-long-enough".repeat(5);
        Path content = dir.resolve("content");
        Files.createDirectories(content.resolve(longFolder));
        Files.writeString(content.resolve(longFolder).resolve("layer.tar"), "layer bytes");
        Files.createSymbolicLink(content.resolve("link.tar"), Path.of(longFolder, "layer.tar"));
        Files.createLink(content.resolve("hard.tar"), content.resolve(longFolder).resolve("layer.tar"));
        // what docker and skopeo write; plain ustar cannot hold a 170-byte folder name
        for (String format : List.of("gnu", "pax")) {
            Path tar = dir.resolve(format + ".tar");
            run(tarBinary, "--format=" + format, "-C", content.toString(), "-cf", tar.toString(), ".");
            try (TarFiles files = TarFiles.scan(FileSource.open(tar))) {
                for (String name : List.of(longFolder + "/layer.tar", "link.tar", "./link.tar", "hard.tar")) {
                    try (InputStream in = files.open(name)) {
                        assertEquals("layer bytes", new String(in.readAllBytes(), StandardCharsets.UTF_8), format + " " + name);
                    }
                }
            }
        }
    }

    @Test
    void aDamagedHeader_failsNamingTheArchiveAndTheByte() throws IOException {
        Path tar = dir.resolve("damaged.tar");
        Files.write(tar, TestTar.of("one.txt", "1", "two.txt", "2"));
        byte[] bytes = Files.readAllBytes(tar);
        bytes[1024 + 3] ^= 0x20; // the second header's name
        Files.write(tar, bytes);
        ArchiveException e = assertThrows(ArchiveException.class, () -> TarFiles.scan(FileSource.open(tar)));
        assertTrue(e.getMessage().contains(tar.toString()) && e.getMessage().contains("at byte 1024")
                && e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void aGzippedTarball_isRefusedWithWhatToDo() throws IOException {
        Path tar = dir.resolve("image.tar.gz");
        try (var gzip = new java.util.zip.GZIPOutputStream(Files.newOutputStream(tar))) {
            gzip.write(TestTar.of("manifest.json", "[]"));
        }
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveFormats.open(tar));
        assertTrue(e.getMessage().contains("gzip") && e.getMessage().contains("decompress"), e.getMessage());
    }

    @Test
    void aTarCutInsideAMember_failsSayingItIsTruncated() throws IOException {
        Path tar = dir.resolve("cut.tar");
        byte[] whole = TestTar.of("one.txt", "x".repeat(5000));
        Files.write(tar, java.util.Arrays.copyOf(whole, 2048));
        ArchiveException e = assertThrows(ArchiveException.class, () -> TarFiles.scan(FileSource.open(tar)));
        assertTrue(e.getMessage().contains("one.txt") && e.getMessage().contains("truncated"), e.getMessage());
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Counts the bytes read through it: what indexing costs. */
    static final class CountingSource implements ByteSource {
        final AtomicLong bytesRead = new AtomicLong();
        private final ByteSource inner;

        CountingSource(ByteSource inner) {
            this.inner = inner;
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public int read(long position, ByteBuffer dst) throws IOException {
            int n = inner.read(position, dst);
            if (n > 0) {
                bytesRead.addAndGet(n);
            }
            return n;
        }

        @Override
        public String locate(long position) {
            return inner.locate(position);
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
