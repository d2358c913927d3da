package io.berth.store.blob;

import io.berth.store.oci.Digest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.berth.store.blob.BlobStoreContract.randomBytes;
import static io.berth.store.blob.BlobStoreContract.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The part of the storage contract that garbage collection stands on: every write refreshes held
 * content, and {@link BlobStore#deleteUnlessWritten} never removes content written since its
 * cutoff, nor content written while it decides (the writer's copy survives). Every driver runs it
 * through {@link BlobStoreContract}. Write times are the store's real ones: content is made old by
 * {@link #backdate}, and the cutoff is an hour ago, so nothing depends on how long a test takes.
 */
interface BlobDeletionContract {
    Duration HOUR = Duration.ofHours(1);

    /** The store under test. */
    BlobStore store();

    /** A folder for files the test writes outside the store. */
    Path scratchFolder();

    /** Makes a held blob look last written at {@code writtenAt}. */
    void backdate(Digest digest, Instant writtenAt) throws IOException;

    /** Content last written two hours ago. */
    private Digest oldBlob(byte[] content) throws IOException {
        Digest digest = store().put(content, Digest.Algorithm.SHA256);
        backdate(digest, Instant.now().minus(HOUR.multipliedBy(2)));
        return digest;
    }

    private static Instant anHourAgo() {
        return Instant.now().minus(HOUR);
    }

    @Test
    default void deleteUnlessWritten_oldUnusedContent_isDeleted() throws IOException {
        Digest digest = oldBlob(randomBytes(100, 1));

        assertEquals(BlobStore.Deletion.DELETED, store().deleteUnlessWritten(digest, anHourAgo(), () -> true));

        assertTrue(store().stat(digest).isEmpty());
        assertTrue(store().open(digest, 0, 100).isEmpty());
    }

    @Test
    default void deleteUnlessWritten_contentWrittenSinceTheCutoff_isKeptWithoutAsking() throws IOException {
        byte[] content = randomBytes(100, 2);
        Digest digest = store().put(content, Digest.Algorithm.SHA256);
        AtomicBoolean asked = new AtomicBoolean();

        assertEquals(BlobStore.Deletion.WRITTEN_SINCE, store().deleteUnlessWritten(digest, anHourAgo(), () -> {
            asked.set(true);
            return true;
        }));

        assertFalse(asked.get());
        assertArrayEquals(content, readAll(store(), digest));
    }

    @Test
    default void deleteUnlessWritten_contentInUseAgain_isKept() throws IOException {
        byte[] content = randomBytes(100, 3);
        Digest digest = oldBlob(content);

        assertEquals(BlobStore.Deletion.IN_USE, store().deleteUnlessWritten(digest, anHourAgo(), () -> false));

        assertArrayEquals(content, readAll(store(), digest));
    }

    @Test
    default void deleteUnlessWritten_contentNotHeld_isAbsent() throws IOException {
        assertEquals(BlobStore.Deletion.ABSENT, store().deleteUnlessWritten(Digest.sha256(new byte[] {9}),
                anHourAgo(), () -> true));
    }

    @Test
    default void deleteUnlessWritten_whoseCheckFails_putsTheContentBackAsJustWritten() throws IOException {
        byte[] content = randomBytes(100, 4);
        Digest digest = oldBlob(content);

        IOException failure = assertThrows(IOException.class, () -> store().deleteUnlessWritten(digest, anHourAgo(),
                () -> {
                    throw new IOException("database unreachable");
                }));

        assertEquals("database unreachable", failure.getMessage());
        assertArrayEquals(content, readAll(store(), digest));
        assertEquals(BlobStore.Deletion.WRITTEN_SINCE, store().deleteUnlessWritten(digest, anHourAgo(), () -> true));
    }

    @Test
    default void put_ofHeldContent_refreshesIt() throws IOException {
        byte[] content = randomBytes(100, 5);
        Digest digest = oldBlob(content);

        store().put(content, Digest.Algorithm.SHA256);

        assertEquals(BlobStore.Deletion.WRITTEN_SINCE, store().deleteUnlessWritten(digest, anHourAgo(), () -> true));
        assertArrayEquals(content, readAll(store(), digest));
    }

    @Test
    default void ingest_ofHeldContent_refreshesIt() throws IOException {
        byte[] content = randomBytes(100, 6);
        Digest digest = oldBlob(content);

        store().ingest(new ByteArrayInputStream(content), digest, content.length);

        assertEquals(BlobStore.Deletion.WRITTEN_SINCE, store().deleteUnlessWritten(digest, anHourAgo(), () -> true));
    }

    @Test
    default void adopt_ofHeldContent_refreshesIt() throws IOException {
        byte[] content = randomBytes(100, 7);
        Digest digest = oldBlob(content);

        store().adopt(Files.write(scratchFolder().resolve("again"), content), digest);

        assertEquals(BlobStore.Deletion.WRITTEN_SINCE, store().deleteUnlessWritten(digest, anHourAgo(), () -> true));
    }

    @Test
    default void refresh_ofHeldContent_refreshesIt_andOfOtherContentSaysSo() throws IOException {
        Digest digest = oldBlob(randomBytes(100, 8));

        assertTrue(store().refresh(digest));
        assertFalse(store().refresh(Digest.sha256(new byte[] {8})));

        assertEquals(BlobStore.Deletion.WRITTEN_SINCE, store().deleteUnlessWritten(digest, anHourAgo(), () -> true));
    }

    /** A writer comes while the deletion decides: it finds nothing to refresh, writes anew, and its copy stays. */
    @Test
    default void aWriteWhileTheDeletionDecides_survivesIt() throws IOException {
        byte[] content = randomBytes(100, 9);
        Digest digest = oldBlob(content);

        BlobStore.Deletion deletion = store().deleteUnlessWritten(digest, anHourAgo(), () -> {
            assertFalse(store().refresh(digest), "the content must be out of writers' reach while the deletion decides");
            store().put(content, Digest.Algorithm.SHA256);
            return true; // the writer has not committed its row yet
        });

        assertEquals(BlobStore.Deletion.DELETED, deletion, "what the deletion took away is removed");
        assertArrayEquals(content, readAll(store(), digest), "the writer's copy is not");
    }

    @Test
    default void anAdoptionWhileTheDeletionDecides_survivesIt() throws IOException {
        byte[] content = randomBytes(100, 10);
        Digest digest = oldBlob(content);
        Path upload = Files.write(scratchFolder().resolve("upload"), content);

        store().deleteUnlessWritten(digest, anHourAgo(), () -> {
            store().adopt(upload, digest);
            return true;
        });

        assertArrayEquals(content, readAll(store(), digest));
    }
}
