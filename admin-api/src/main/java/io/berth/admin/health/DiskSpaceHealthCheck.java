package io.berth.admin.health;

import com.codahale.metrics.health.HealthCheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Unhealthy when the storage file system has less free space than the configured minimum. */
public final class DiskSpaceHealthCheck extends HealthCheck {
    private final Path root;
    private final long minFreeBytes;

    public DiskSpaceHealthCheck(Path root, long minFreeBytes) {
        this.root = root;
        this.minFreeBytes = minFreeBytes;
    }

    @Override
    protected Result check() throws IOException {
        long free = Files.getFileStore(root).getUsableSpace();
        String summary = String.format("%d MiB free on %s (minimum %d MiB)", free >> 20, root, minFreeBytes >> 20);
        return free >= minFreeBytes ? Result.healthy(summary) : Result.unhealthy(summary + ": free space before pushes fail");
    }
}
