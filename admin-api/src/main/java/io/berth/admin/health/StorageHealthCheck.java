package io.berth.admin.health;

import com.codahale.metrics.health.HealthCheck;
import io.berth.store.blob.StoragePaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Healthy when a file can be written to and removed from the storage root. */
public final class StorageHealthCheck extends HealthCheck {
    private final StoragePaths paths;

    public StorageHealthCheck(StoragePaths paths) {
        this.paths = paths;
    }

    @Override
    protected Result check() {
        try {
            Path probe = Files.createTempFile(paths.tmp(), "health-", ".probe");
            try {
                Files.writeString(probe, "ok");
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            return Result.unhealthy("cannot write to the storage at %s (%s): pushes fail until this is fixed",
                    paths.root(), e.getMessage());
        }
        return Result.healthy("writable: %s", paths.root());
    }
}
