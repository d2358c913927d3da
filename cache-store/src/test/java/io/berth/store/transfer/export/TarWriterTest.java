package io.berth.store.transfer.export;

import io.berth.store.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TarWriterTest {
    @TempDir
    Path dir;

    @Test
    void aNameLongerThan100Bytes_isExtractedWhole() throws Exception {
        String tarTool = Requirements.executable("tar");
        String name = "blobs/sha512/" + "c".repeat(128);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(bytes, 1_700_000_000L);
        tar.directory("blobs/");
        tar.file(name, "hello".getBytes());
        tar.finish();
        Files.write(dir.resolve("t.tar"), bytes.toByteArray());
        Process p = new ProcessBuilder(List.of(tarTool, "-xf", "t.tar")).directory(dir.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor());
        assertArrayEquals("hello".getBytes(), Files.readAllBytes(dir.resolve(name)));
    }

    @Test
    void anEntryWithOtherThanItsDeclaredSize_isRefused() throws Exception {
        TarWriter tar = new TarWriter(new ByteArrayOutputStream(), 0);
        tar.beginFile("a", 3);
        tar.write(new byte[2], 0, 2);
        assertThrows(IOException.class, tar::closeEntry);
        assertThrows(IOException.class, () -> tar.write(new byte[2], 0, 2));
    }
}
