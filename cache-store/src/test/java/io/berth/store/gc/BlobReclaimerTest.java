package io.berth.store.gc;

import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.meta.BlobDao;
import io.berth.store.meta.RepositoryDao;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.LockWaits;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import io.berth.store.testing.TestRegistries;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deleting blobs nothing references, on both databases: rows only when unreferenced, content only
 * after the grace period and only when no row came back, and the interleavings with writers of the
 * same digest (an upload after the row went, content written while its tombstone waits, a link and
 * a deletion of the row at the same moment) never leave a row or link pointing at missing content.
 * Content is made old by setting its files' times; the reclaimer's clock says when rows were released.
 */
@OnH2AndPostgres
class BlobReclaimerTest extends RegistryTestBase {
    private static final Duration GRACE = Duration.ofHours(1);

    private final RepositoryName app = repo("team/app");
    private final RepositoryName other = repo("team/other");
    private final MutableClock reclaimClock = new MutableClock(Instant.now());
    private FilesystemBlobStore store;
    private BlobReclaimer reclaimer;

    BlobReclaimerTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void openReclaimer() throws IOException {
        store = new FilesystemBlobStore(paths());
        reclaimer = new BlobReclaimer(registry.transactions(), store, GRACE, reclaimClock);
    }

    @Test
    void releaseUnused_deletesTheRowOfABlobNothingReferences_andKeepsItsContentForTheGracePeriod()
            throws IOException {
        byte[] content = utf8("a layer nothing needs");
        Digest digest = unreferencedOldBlob(content);

        assertEquals(new BlobReclaimer.Released(1, content.length), reclaimer.releaseUnused(List.of(digest.toString())));
        assertEquals(new BlobReclaimer.Swept(0, 0, 0, 0), reclaimer.sweep());

        assertEquals(0, count("SELECT COUNT(*) FROM blob WHERE digest = '" + digest + "'"));
        assertEquals(1, count("SELECT COUNT(*) FROM blob_tombstone"));
        assertArrayEquals(content, read(registry, digest), "a reader that saw the row may still open it");
    }

    @Test
    void sweep_afterTheGracePeriod_removesTheContentAndTheTombstone() throws IOException {
        Digest digest = unreferencedOldBlob(utf8("a layer nothing needs"));
        releasedLongAgo(digest);

        assertEquals(new BlobReclaimer.Swept(1, 0, 0, 0), reclaimer.sweep());

        assertFalse(Files.exists(paths().blob(digest)));
        assertEquals(0, count("SELECT COUNT(*) FROM blob_tombstone"));
    }

    @Test
    void releaseUnused_keepsBlobsLinkedElsewhere_manifests_andBlobsAnArtifactReferences() throws IOException {
        Digest shared = upload(app, utf8("shared layer"));
        upload(other, utf8("shared layer"));
        registry.blobs().unlink(app, shared);
        Image image = image("pushed");
        Digest manifest = push(app, "1.0", image).digest();
        Image cached = image("recorded");
        upload(app, cached.config());
        registry.blobs().unlink(app, cached.configDigest());
        registry.manifests().record(repo("team/cache"), List.of("1.0"), OCI_MANIFEST, cached.manifest(),
                Digest.Algorithm.SHA256, TestRegistries.TEST_CALLER);

        BlobReclaimer.Released released = reclaimer.releaseUnused(List.of(shared.toString(), manifest.toString(),
                cached.configDigest().toString()));

        assertEquals(new BlobReclaimer.Released(0, 0), released);
        assertEquals(3, count("SELECT COUNT(*) FROM blob WHERE digest IN ('" + shared + "', '" + manifest + "', '"
                + cached.configDigest() + "')"));
        assertEquals(0, count("SELECT COUNT(*) FROM blob_tombstone"));
    }

    /** A link arrives between the row's deletion and the content's: the content stays. */
    @Test
    void aBlobUploadedAgainAfterItsRowWasReleased_keepsItsContent() throws IOException {
        byte[] content = utf8("uploaded again");
        Digest digest = unreferencedOldBlob(content);
        releasedLongAgo(digest);

        upload(other, content);
        BlobReclaimer.Swept swept = reclaimer.sweep();

        assertEquals(new BlobReclaimer.Swept(0, 1, 0, 0), swept);
        assertEquals(OptionalLong.of(content.length), registry.blobs().size(other, digest));
        assertArrayEquals(content, read(registry, digest));
        assertEquals(0, count("SELECT COUNT(*) FROM blob_tombstone"));
    }

    /** Content is written again while its tombstone waits, by a writer that has not recorded its row yet. */
    @Test
    void contentWrittenAgainWhileItsTombstoneWaits_staysUntilItsWriterRecordsIt() throws IOException {
        byte[] content = utf8("written while the tombstone waits");
        Digest digest = unreferencedOldBlob(content);
        releasedLongAgo(digest);

        store.put(content, Digest.Algorithm.SHA256);
        assertEquals(new BlobReclaimer.Swept(0, 0, 1, 0), reclaimer.sweep());
        assertTrue(Files.exists(paths().blob(digest)));
        upload(other, content); // the writer commits its row and link

        assertEquals(new BlobReclaimer.Swept(0, 1, 0, 0), reclaimer.sweep());
        assertArrayEquals(content, read(registry, digest));
        assertEquals(0, count("SELECT COUNT(*) FROM blob_tombstone"));
    }

    @Test
    void contentWrittenAgainByAWriterThatNeverRecordsIt_goesOnceItsWriteIsOld() throws IOException {
        byte[] content = utf8("written by a writer that failed");
        Digest digest = unreferencedOldBlob(content);
        releasedLongAgo(digest);
        store.put(content, Digest.Algorithm.SHA256);
        reclaimer.sweep();

        backdate(digest);

        assertEquals(new BlobReclaimer.Swept(1, 0, 0, 0), reclaimer.sweep());
        assertFalse(Files.exists(paths().blob(digest)));
    }

    /**
     * The row is deleted (not committed yet) while a client's upload of the same content records it:
     * the upload waits for the row's lock, finds the row gone, records it again, and its link points
     * at a row whose content the sweep then keeps.
     */
    @Test
    void anUploadRecordingTheBlobWhileItsRowIsBeingDeleted_recordsItAgain() throws Exception {
        byte[] content = utf8("uploaded while its row is deleted");
        Digest digest = unreferencedOldBlob(content);
        CountDownLatch deleted = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        BlobReclaimer pausing = new BlobReclaimer(registry.transactions(), store, GRACE,
                new MutableClock(Instant.now().minus(GRACE.multipliedBy(2))), d -> {
                    deleted.countDown();
                    await(proceed);
                });
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<BlobReclaimer.Released> release = threads.submit(() -> pausing.releaseUnused(List.of(digest.toString())));
            await(deleted);
            Future<Digest> uploading = threads.submit(() -> upload(other, content));
            LockWaits.awaitBlockedOrDone(registry.transactions(), uploading);
            proceed.countDown();

            assertEquals(new BlobReclaimer.Released(1, content.length), release.get());
            assertEquals(digest, uploading.get());
        } finally {
            proceed.countDown();
            threads.shutdownNow();
        }

        assertEquals(0, count("SELECT COUNT(*) FROM repository_blob rb WHERE NOT EXISTS"
                + " (SELECT 1 FROM blob b WHERE b.digest = rb.digest)"), "a link points at no row");
        assertEquals(new BlobReclaimer.Swept(0, 1, 0, 0), reclaimer.sweep());
        assertEquals(OptionalLong.of(content.length), registry.blobs().size(other, digest));
        assertArrayEquals(content, read(registry, digest));
    }

    /** A link is inserted (not committed yet) while the row's release starts: the release waits and sees it. */
    @Test
    void aReleaseWhileALinkIsBeingInserted_waitsAndKeepsTheRow() throws Exception {
        byte[] content = utf8("linked while released");
        Digest digest = upload(app, content);
        registry.blobs().unlink(app, digest);
        upload(other, utf8("makes the other repository exist"));
        CountDownLatch linked = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> linking = threads.submit(() -> registry.transactions().useTransaction(h -> {
                long otherId = h.attach(RepositoryDao.class).findId(other.value()).orElseThrow();
                h.attach(BlobDao.class).link(otherId, digest.toString(), clock.instant());
                linked.countDown();
                await(commit);
            }));
            await(linked);
            Future<BlobReclaimer.Released> release = threads.submit(() -> reclaimer.releaseUnused(
                    List.of(digest.toString())));
            LockWaits.awaitBlockedOrDone(registry.transactions(), release);
            commit.countDown();

            linking.get();
            assertEquals(new BlobReclaimer.Released(0, 0), release.get());
        } finally {
            commit.countDown();
            threads.shutdownNow();
        }

        assertEquals(OptionalLong.of(content.length), registry.blobs().size(other, digest));
        assertEquals(0, count("SELECT COUNT(*) FROM blob_tombstone"));
    }

    /** Uploaded into {@code app}, unlinked from it, and written two grace periods ago. */
    private Digest unreferencedOldBlob(byte[] content) throws IOException {
        Digest digest = upload(app, content);
        registry.blobs().unlink(app, digest);
        backdate(digest);
        return digest;
    }

    private void backdate(Digest digest) throws IOException {
        Files.setLastModifiedTime(paths().blob(digest), FileTime.from(Instant.now().minus(GRACE.multipliedBy(2))));
    }

    /** Releases the rows as if two grace periods ago. */
    private void releasedLongAgo(Digest digest) {
        reclaimClock.set(Instant.now().minus(GRACE.multipliedBy(2)));
        assertEquals(1, reclaimer.releaseUnused(List.of(digest.toString())).blobs());
        reclaimClock.set(Instant.now());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
