package io.berth.store.testing;

import io.berth.store.Caller;
import io.berth.store.Registry;
import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.blob.FilesystemUploadStore;
import io.berth.store.blob.StoragePaths;
import io.berth.store.event.PullRecorder;
import io.berth.store.meta.Admission;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Registries for tests, on the filesystem stores the composition root uses. */
public final class TestRegistries {
    /** The caller of pushes and deletes that tests make directly through the store. */
    public static final Caller TEST_CALLER = Caller.system("test");

    private TestRegistries() {
    }

    /** A registry over {@code dataSource} whose blobs and uploads live under {@code storageRoot}. */
    public static Registry onFilesystem(DataSource dataSource, Path storageRoot, boolean autoCreateProjects,
                                        long maxManifestSize, Duration uploadExpiry, Clock clock) {
        try {
            StoragePaths paths = new StoragePaths(storageRoot);
            FilesystemBlobStore blobs = new FilesystemBlobStore(paths);
            return Registry.open(dataSource, blobs, new FilesystemUploadStore(paths, blobs),
                    new Registry.Options(autoCreateProjects, maxManifestSize, uploadExpiry, Admission.unbounded(),
                            PullRecorder.Options.defaults()), clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The common case: auto-created projects, a 4 MiB manifest limit, uploads kept a day. */
    public static Registry onFilesystem(DataSource dataSource, Path storageRoot) {
        return onFilesystem(dataSource, storageRoot, true, 4L << 20, Duration.ofHours(24), Clock.systemUTC());
    }
}
