package io.berth.admin.health;

import com.codahale.metrics.health.HealthCheck;
import io.berth.store.blob.StoragePaths;
import io.berth.store.testing.Tmpfs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On a disk that really fills up (a tmpfs), the storage health checks turn red, and green again once space is freed. */
class StorageHealthOnAFullDiskTest {
    @Test
    void fullDisk_turnsTheHealthChecksRed_andFreeingSpaceTurnsThemGreen() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(4 << 20)) {
            StoragePaths paths = new StoragePaths(disk.path());
            Files.createDirectories(paths.tmp());
            DiskSpaceHealthCheck space = new DiskSpaceHealthCheck(paths.root(), 1 << 20);
            StorageHealthCheck writable = new StorageHealthCheck(paths);
            assertTrue(space.execute().isHealthy(), space.execute().getMessage());
            assertTrue(writable.execute().isHealthy(), writable.execute().getMessage());

            fill(disk);

            HealthCheck.Result full = space.execute();
            assertFalse(full.isHealthy(), "free space below the minimum: " + full.getMessage());
            assertFalse(writable.execute().isHealthy(), "a full disk takes no probe file");

            Files.delete(disk.path().resolve("filler"));
            assertTrue(space.execute().isHealthy());
            assertTrue(writable.execute().isHealthy());
        }
    }

    private static void fill(Tmpfs disk) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(disk.path().resolve("filler"))) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }
}
