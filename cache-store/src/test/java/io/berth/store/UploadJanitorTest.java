package io.berth.store;

import io.berth.store.blob.UploadStore;
import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cleaning up after abandoned uploads (expiry is 24 hours), on both databases. */
@OnH2AndPostgres
class UploadJanitorTest extends RegistryTestBase {
    private final RepositoryName app = repo("team/app");
    private Instant now;

    UploadJanitorTest(TestDatabase database) {
        super(database);
    }

    /** File times are real, so the registry's clock starts at the real time here. */
    @BeforeEach
    void alignClockWithFiles() {
        now = Instant.now();
        clock.set(now);
    }

    private String startWith(String content) throws IOException {
        String id = registry.blobs().startUpload(app, Digest.Algorithm.SHA256);
        try (UploadStore.Chunk chunk = registry.blobs().beginChunk(app, id, 0)) {
            chunk.write(ByteBuffer.wrap(utf8(content)));
            chunk.commit();
        }
        return id;
    }

    private void age(Path file, Duration by) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(now.minus(by)));
    }

    private long folders(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        }
    }

    @Test
    void sweep_removesSessionsIdleLongerThanExpiryAndKeepsActiveOnes() throws IOException {
        String idle = startWith("abandoned");
        String active = startWith("in progress");
        age(paths().uploadData(idle), Duration.ofHours(25));

        assertEquals(1, registry.janitor().sweep());

        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> registry.blobs().uploadSize(app, idle));
        assertFalse(Files.exists(paths().upload(idle)));
        assertEquals(1, count("SELECT COUNT(*) FROM upload"));
        assertEquals(11, registry.blobs().uploadSize(app, active));
        registry.blobs().completeUpload(app, active, Digest.sha256(utf8("in progress")));
    }

    @Test
    void sweep_sessionIdleForLessThanExpiry_isKept() throws IOException {
        String id = startWith("paused");
        age(paths().uploadData(id), Duration.ofHours(23));

        assertEquals(0, registry.janitor().sweep());

        assertEquals(6, registry.blobs().uploadSize(app, id));
    }

    @Test
    void sweep_afterClockPassesExpiry_removesEverySession() throws IOException {
        startWith("one");
        startWith("two");
        clock.advance(Duration.ofHours(25));

        assertEquals(2, registry.janitor().sweep());

        assertEquals(0, count("SELECT COUNT(*) FROM upload"));
        assertEquals(0, folders(paths().uploads()));
    }

    @Test
    void sweep_removesRowsWhoseFolderIsGone() throws IOException {
        String id = startWith("lost its files");
        try (var files = Files.list(paths().upload(id))) {
            for (var file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(paths().upload(id));

        assertEquals(0, registry.janitor().sweep());

        assertEquals(0, count("SELECT COUNT(*) FROM upload"));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> registry.blobs().uploadSize(app, id));
    }

    @Test
    void sweep_removesIdleFoldersThatHaveNoRow() throws IOException {
        Path leftover = Files.createDirectories(paths().uploads().resolve("left-by-a-crash"));
        Files.writeString(leftover.resolve("data"), "partial");
        age(leftover.resolve("data"), Duration.ofDays(3));

        assertEquals(1, registry.janitor().sweep());

        assertFalse(Files.exists(leftover));
    }

    @Test
    void sweep_removesOnlyStaleTemporaryFiles() throws IOException {
        Path stale = Files.writeString(paths().tmp().resolve("stale"), "from a crashed import");
        Path fresh = Files.writeString(paths().tmp().resolve("fresh"), "being written");
        age(stale, Duration.ofHours(30));

        registry.janitor().sweep();

        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh));
    }

    @Test
    void sweep_ofNothing_removesNothing() throws IOException {
        Digest kept = upload(app, utf8("a finished blob"));

        assertEquals(0, registry.janitor().sweep());

        assertTrue(registry.blobs().size(app, kept).isPresent());
    }
}
