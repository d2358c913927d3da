package io.berth.store;

import io.berth.store.blob.UploadStore;
import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import java.util.OptionalLong;

import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads, mounts and links of blobs, on both databases. */
@OnH2AndPostgres
class BlobsTest extends RegistryTestBase {
    private final RepositoryName app = repo("team/app");
    private final RepositoryName other = repo("team/other");

    BlobsTest(TestDatabase database) {
        super(database);
    }

    @Test
    void completeUpload_linksBlobIntoRepository() throws IOException {
        byte[] content = utf8("layer content");

        Digest digest = upload(app, content);

        assertEquals(OptionalLong.of(content.length), registry.blobs().size(app, digest));
        assertArrayEquals(content, read(registry, digest));
        assertTrue(registry.blobs().size(other, digest).isEmpty(), "another repository must not see it");
    }

    @Test
    void completeUpload_whoseDatabaseStepFailed_succeedsWhenTheClientRetries() throws IOException {
        byte[] content = utf8("stored, then the database said no");
        Digest digest = Digest.sha256(content);
        String id = registry.blobs().startUpload(app, Digest.Algorithm.SHA256);
        try (UploadStore.Chunk chunk = registry.blobs().beginChunk(app, id, 0)) {
            chunk.write(ByteBuffer.wrap(content));
            chunk.commit();
        }
        sql("ALTER TABLE repository_blob RENAME TO repository_blob_away");
        try {
            assertThrows(RuntimeException.class, () -> registry.blobs().completeUpload(app, id, digest));
        } finally {
            sql("ALTER TABLE repository_blob_away RENAME TO repository_blob");
        }
        assertTrue(registry.blobs().size(app, digest).isEmpty(), "nothing is linked by the failed attempt");

        registry.blobs().completeUpload(app, id, digest);

        assertEquals(OptionalLong.of(content.length), registry.blobs().size(app, digest));
        assertEquals(0, count("SELECT COUNT(*) FROM upload"));
    }

    @Test
    void completeUpload_createsRepositoryAndProject() throws IOException {
        upload(app, utf8("x"));

        assertEquals(List.of("team/app"), registry.listings().catalog(null, 100).items());
        assertEquals(List.of("team"), registry.inventory().projects(1, 100).items().stream().map(p -> p.name()).toList());
        assertEquals(0, count("SELECT COUNT(*) FROM upload"));
    }

    @Test
    void completeUpload_withSha512Digest_linksBlob() throws IOException {
        byte[] content = utf8("sha512 layer");
        Digest digest = Digest.of(Digest.Algorithm.SHA512, Digest.Algorithm.SHA512.newHasher().digest(content));
        String id = registry.blobs().startUpload(app, Digest.Algorithm.SHA256);
        try (UploadStore.Chunk chunk = registry.blobs().beginChunk(app, id, 0)) {
            chunk.write(ByteBuffer.wrap(content));
            chunk.commit();
        }

        registry.blobs().completeUpload(app, id, digest);

        assertEquals(OptionalLong.of(content.length), registry.blobs().size(app, digest));
    }

    @Test
    void uploadSize_reportsBytesReceivedSoFar() throws IOException {
        String id = registry.blobs().startUpload(app, Digest.Algorithm.SHA256);
        assertEquals(0, registry.blobs().uploadSize(app, id));
        try (UploadStore.Chunk chunk = registry.blobs().beginChunk(app, id, 0)) {
            chunk.write(ByteBuffer.wrap(utf8("12345")));
            chunk.commit();
        }

        assertEquals(5, registry.blobs().uploadSize(app, id));
    }

    @Test
    void beginChunk_atWrongOffset_failsWithRangeInvalid() throws IOException {
        String id = registry.blobs().startUpload(app, Digest.Algorithm.SHA256);

        assertFailure(ErrorCode.CHUNK_OUT_OF_ORDER, () -> registry.blobs().beginChunk(app, id, 10));
        assertEquals(0, registry.blobs().uploadSize(app, id));
    }

    @Test
    void completeUpload_withWrongDigest_discardsSessionAndLinksNothing() throws IOException {
        String id = registry.blobs().startUpload(app, Digest.Algorithm.SHA256);
        try (UploadStore.Chunk chunk = registry.blobs().beginChunk(app, id, 0)) {
            chunk.write(ByteBuffer.wrap(utf8("actual")));
            chunk.commit();
        }
        Digest claimed = Digest.sha256(utf8("claimed"));

        assertFailure(ErrorCode.DIGEST_INVALID, () -> registry.blobs().completeUpload(app, id, claimed));

        assertTrue(registry.blobs().size(app, claimed).isEmpty());
        assertTrue(registry.blobs().size(app, Digest.sha256(utf8("actual"))).isEmpty());
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> registry.blobs().uploadSize(app, id));
        assertEquals(0, count("SELECT COUNT(*) FROM upload"));
        assertEquals(0, count("SELECT COUNT(*) FROM blob"));
    }

    @Test
    void upload_usedThroughAnotherRepository_isUnknown() throws IOException {
        String id = registry.blobs().startUpload(app, Digest.Algorithm.SHA256);
        Digest digest = Digest.sha256(new byte[0]);

        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> registry.blobs().uploadSize(other, id));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> registry.blobs().beginChunk(other, id, 0));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> registry.blobs().completeUpload(other, id, digest));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> registry.blobs().cancelUpload(other, id));

        registry.blobs().completeUpload(app, id, digest);
        assertTrue(registry.blobs().size(app, digest).isPresent());
    }

    @Test
    void upload_withMalformedId_isUnknown() {
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> registry.blobs().uploadSize(app, "../x"));
        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> registry.blobs().beginChunk(app, "../../tmp", 0));
    }

    @Test
    void cancelUpload_endsSessionAndRemovesItsFiles() throws IOException {
        String id = registry.blobs().startUpload(app, Digest.Algorithm.SHA256);

        registry.blobs().cancelUpload(app, id);

        assertFailure(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> registry.blobs().uploadSize(app, id));
        assertFalse(Files.exists(paths().upload(id)));
        assertEquals(0, count("SELECT COUNT(*) FROM upload"));
    }

    @Test
    void upload_survivesRegistryRestart() throws IOException {
        byte[] first = utf8("first half, ");
        byte[] second = utf8("second half");
        String id = registry.blobs().startUpload(app, Digest.Algorithm.SHA256);
        try (UploadStore.Chunk chunk = registry.blobs().beginChunk(app, id, 0)) {
            chunk.write(ByteBuffer.wrap(first));
            chunk.commit();
        }

        Registry restarted = open(true);
        assertEquals(first.length, restarted.blobs().uploadSize(app, id));
        try (UploadStore.Chunk chunk = restarted.blobs().beginChunk(app, id, first.length)) {
            chunk.write(ByteBuffer.wrap(second));
            chunk.commit();
        }
        Digest digest = Digest.sha256(utf8("first half, second half"));
        restarted.blobs().completeUpload(app, id, digest);

        assertEquals(OptionalLong.of(23), restarted.blobs().size(app, digest));
    }

    @Test
    void startUpload_intoUnknownProjectWithoutAutoCreate_failsWithNameUnknown() throws IOException {
        Registry strict = open(false);

        assertFailure(ErrorCode.NAME_UNKNOWN, () -> strict.blobs().startUpload(app, Digest.Algorithm.SHA256));

        assertEquals(0, count("SELECT COUNT(*) FROM upload"));
        assertEquals(0, count("SELECT COUNT(*) FROM project"));
    }

    @Test
    void upload_intoExistingProjectWithoutAutoCreate_createsRepository() throws IOException {
        Registry strict = open(false);
        createProject("team");

        Digest digest = upload(strict, app, utf8("allowed"));

        assertTrue(strict.blobs().size(app, digest).isPresent());
        assertEquals(List.of("team/app"), strict.listings().catalog(null, 10).items());
    }

    @Test
    void mount_fromRepositoryThatLinksBlob_linksIt() throws IOException {
        Digest digest = upload(app, utf8("shared layer"));

        assertTrue(registry.blobs().mount(other, digest, app));

        assertEquals(OptionalLong.of(12), registry.blobs().size(other, digest));
    }

    @Test
    void mount_fromRepositoryThatDoesNotLinkBlob_returnsFalseAndCreatesNothing() throws IOException {
        Digest digest = upload(app, utf8("private layer"));
        upload(other, utf8("unrelated"));
        RepositoryName target = repo("elsewhere/target");

        assertFalse(registry.blobs().mount(target, digest, other));
        assertFalse(registry.blobs().mount(target, digest, repo("nobody/here")));

        assertTrue(registry.blobs().size(target, digest).isEmpty());
        assertFalse(registry.listings().catalog(null, 10).items().contains("elsewhere/target"));
    }

    @Test
    void mount_ofBlobTheStoreDoesNotHold_returnsFalse() {
        Digest unknown = Digest.sha256(utf8("never uploaded"));

        assertFalse(registry.blobs().mount(other, unknown, app));
        assertTrue(registry.listings().catalog(null, 10).items().isEmpty());
    }

    @Test
    void mount_intoUnknownProjectWithoutAutoCreate_failsWithNameUnknown() throws IOException {
        Digest digest = upload(app, utf8("layer"));
        Registry strict = open(false);

        assertFailure(ErrorCode.NAME_UNKNOWN, () -> strict.blobs().mount(repo("closed/app"), digest, app));
        assertTrue(strict.blobs().size(repo("closed/app"), digest).isEmpty());
    }

    @Test
    void unlink_removesOnlyThatRepositorysLink() throws IOException {
        Digest digest = upload(app, utf8("layer to unlink"));
        registry.blobs().mount(other, digest, app);
        assertTrue(registry.blobs().size(app, digest).isPresent());

        registry.blobs().unlink(app, digest);

        assertTrue(registry.blobs().size(app, digest).isEmpty());
        assertTrue(registry.blobs().size(other, digest).isPresent());
        assertFalse(registry.blobs().mount(repo("team/third"), digest, app), "app no longer links it");
    }

    @Test
    void unlink_blobNotLinked_failsWithBlobUnknown() throws IOException {
        Digest digest = upload(app, utf8("layer"));

        assertFailure(ErrorCode.BLOB_UNKNOWN, () -> registry.blobs().unlink(other, digest));
        assertFailure(ErrorCode.BLOB_UNKNOWN, () -> registry.blobs().unlink(repo("no/such"), digest));
        registry.blobs().unlink(app, digest);
        assertFailure(ErrorCode.BLOB_UNKNOWN, () -> registry.blobs().unlink(app, digest));
    }

    @Test
    void size_whenStoreLostTheFile_isEmpty() throws IOException {
        Digest digest = Digest.sha256(utf8("lost"));
        Registry fresh = open(true);
        upload(fresh, app, utf8("lost"));
        Files.delete(paths().blob(digest));

        assertTrue(fresh.blobs().size(app, digest).isEmpty());
    }
}
