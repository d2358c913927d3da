package io.berth.store.transfer.archive;

import io.berth.store.oci.Digest;
import io.berth.store.testing.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitBundleTest {
    @TempDir
    Path dir;

    private Path whole;
    private List<Path> parts;

    @BeforeEach
    void splitABundle() throws IOException {
        Path layout = dir.resolve("layout");
        TestImages.singleArch(layout, "1.0", 11, 3, 150_000, "amd64");
        TestImages.multiArch(layout, "multi", 12, List.of("amd64", "arm64"), 60_000);
        whole = dir.resolve("bundle.tar");
        TestTar.ofDirectory(layout, whole);
        parts = cut(whole, 100_000); // cuts fall inside headers and blobs alike
        assertTrue(parts.size() >= 4, "parts: " + parts.size());
    }

    @Test
    void theFirstPartAlone_orEveryPartInOrder_readsAsTheWholeBundle() throws IOException {
        try (ArchiveContent expected = ArchiveFormats.open(whole);
             ArchiveContent fromFirst = ArchiveFormats.open(parts.get(0));
             ArchiveContent fromAll = ArchiveFormats.open(parts)) {
            for (ArchiveContent split : List.of(fromFirst, fromAll)) {
                assertEquals(expected.images(), split.images());
                assertEquals(expected.digests(), split.digests());
                for (Digest d : expected.digests()) {
                    assertEquals(expected.entry(d), split.entry(d));
                }
                ArchiveTesting.assertEveryDigestMatches(split);
            }
        }
    }

    @Test
    void aMissingPart_failsNamingIt() throws IOException {
        Files.delete(parts.get(2));
        ArchiveException alone = assertThrows(ArchiveException.class, () -> ArchiveFormats.open(parts.get(0)));
        assertTrue(alone.getMessage().contains(parts.get(2).toString()) && alone.getMessage().contains("missing"),
                alone.getMessage());
        List<Path> given = new ArrayList<>(parts);
        given.remove(2);
        ArchiveException listed = assertThrows(ArchiveException.class, () -> ArchiveFormats.open(given));
        assertTrue(listed.getMessage().contains(parts.get(2).toString()) && listed.getMessage().contains("missing"),
                listed.getMessage());
    }

    @Test
    void aLaterPartGivenAlone_isRefusedAskingForTheFirst() {
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveFormats.open(parts.get(1)));
        assertTrue(e.getMessage().contains("not the first part"), e.getMessage());
    }

    @Test
    void aTruncatedLastPart_failsNamingIt() throws IOException {
        Path last = parts.get(parts.size() - 1);
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.setLength(file.length() / 3);
        }
        // a cut inside the end-of-archive blocks loses nothing; this one falls inside a blob
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveFormats.open(parts.get(0)));
        assertTrue(e.getMessage().contains(last.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aTruncatedMiddlePart_failsNamingIt() throws IOException {
        Path middle = parts.get(1);
        try (RandomAccessFile file = new RandomAccessFile(middle.toFile(), "rw")) {
            file.setLength(file.length() - 700);
        }
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveFormats.open(parts.get(0)));
        assertTrue(e.getMessage().contains(middle.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    /** Cuts {@code tar} into {@code bundle.tar.000}, {@code .001}, … of {@code size} bytes, as {@code split -b} does. */
    private List<Path> cut(Path tar, int size) throws IOException {
        byte[] bytes = Files.readAllBytes(tar);
        List<Path> out = new ArrayList<>();
        for (int at = 0, n = 0; at < bytes.length; at += size, n++) {
            Path part = dir.resolve(String.format("bundle.tar.%03d", n));
            try (OutputStream o = Files.newOutputStream(part)) {
                o.write(bytes, at, Math.min(size, bytes.length - at));
            }
            out.add(part);
        }
        return out;
    }
}
