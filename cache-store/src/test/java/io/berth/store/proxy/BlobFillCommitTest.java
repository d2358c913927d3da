package io.berth.store.proxy;

import io.berth.store.Registry;
import io.berth.store.blob.BlobContent;
import io.berth.store.blob.BlobStore;
import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.blob.FilesystemUploadStore;
import io.berth.store.blob.StoragePaths;
import io.berth.store.event.PullRecorder;
import io.berth.store.meta.Admission;
import io.berth.store.oci.Digest;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.berth.store.proxy.FakeUpstream.GET_BLOB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fill whose blob is verified but not yet in the store (its fsync and rename can take seconds
 * for a large layer): a client that asks for the blob meanwhile is served at once from the
 * verified spool file instead of waiting for the disk, and its repository is linked as well.
 */
@OnH2AndPostgres
class BlobFillCommitTest extends ProxyTestBase {
    private final byte[] blob = new byte[1 << 20];
    private final CountDownLatch adopting = new CountDownLatch(1);
    private final CountDownLatch letAdopt = new CountDownLatch(1);

    BlobFillCommitTest(TestDatabase database) {
        super(database);
        new Random(7).nextBytes(blob);
    }

    @Test
    void aReaderComingWhileTheVerifiedBlobIsStored_isServedFromTheSpoolFile_andItsRepositoryIsLinked()
            throws Exception {
        Registry held = heldAdoptionRegistry();
        ProxyCache cache = cacheOver(held, GENEROUS);
        Digest digest = upstream.putBlob(blob);
        String first = PROJECT + "/library/app";
        String late = PROJECT + "/library/other";
        assertArrayEquals(blob, readAll(open(cache, first, digest)));
        assertTrue(adopting.await(30, TimeUnit.SECONDS), "the fill did not get to storing the blob");

        // The store is held in adopt(): the old fill made this GET wait until it was released.
        Future<byte[]> read = executor.submit(() -> readAll(open(cache, late, digest)));
        byte[] received = read.get(30, TimeUnit.SECONDS);
        letAdopt.countDown();

        assertArrayEquals(blob, received);
        assertEquals(1, upstream.calls(GET_BLOB));
        awaitLinked(held, late, digest);
        assertEquals(OptionalLong.of(blob.length), held.blobs().size(repo(first), digest));
        assertInstanceOf(BlobContent.LocalFile.class, open(cache, late, digest), "committed: a local file");
    }

    private static BlobContent open(ProxyCache cache, String repository, Digest digest) throws IOException {
        var source = cache.apply(repo(repository));
        long size = source.blobSizeToRead(digest).orElseThrow();
        return source.openBlob(digest, 0, size).orElseThrow();
    }

    private void awaitLinked(Registry held, String repository, Digest digest) throws Exception {
        for (int i = 0; i < 600 && held.blobs().size(repo(repository), digest).isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertEquals(OptionalLong.of(blob.length), held.blobs().size(repo(repository), digest),
                "the late reader's repository is linked once the blob is stored");
    }

    /** A registry over this test's database and storage whose store's adopt() waits for {@link #letAdopt}. */
    private Registry heldAdoptionRegistry() throws IOException {
        StoragePaths paths = paths();
        FilesystemBlobStore files = new FilesystemBlobStore(paths);
        BlobStore store = new HeldAdoption(files);
        return closedAfterTheTest(Registry.open(dataSource, store, new FilesystemUploadStore(paths, files),
                new Registry.Options(true, MAX_MANIFEST, Duration.ofHours(24), Admission.unbounded(),
                        PullRecorder.Options.defaults()), clock));
    }

    /** The filesystem store, whose adopt() signals {@link #adopting} and waits for {@link #letAdopt}. */
    private final class HeldAdoption implements BlobStore {
        private final BlobStore files;

        HeldAdoption(BlobStore files) {
            this.files = files;
        }

        @Override
        public void adopt(Path verifiedFile, Digest digest) throws IOException {
            adopting.countDown();
            try {
                if (!letAdopt.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the test never let the store adopt the blob");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            files.adopt(verifiedFile, digest);
        }

        @Override
        public OptionalLong stat(Digest digest) throws IOException {
            return files.stat(digest);
        }

        @Override
        public Optional<BlobContent> open(Digest digest, long offset, long length) throws IOException {
            return files.open(digest, offset, length);
        }

        @Override
        public InputStream read(Digest digest) throws IOException {
            return files.read(digest);
        }

        @Override
        public Digest put(byte[] content, Digest.Algorithm algorithm) throws IOException {
            return files.put(content, algorithm);
        }

        @Override
        public Digest ingest(InputStream content, Digest expected, long expectedSize) throws IOException {
            return files.ingest(content, expected, expectedSize);
        }

        @Override
        public boolean refresh(Digest digest) throws IOException {
            return files.refresh(digest);
        }

        @Override
        public boolean delete(Digest digest) throws IOException {
            return files.delete(digest);
        }

        @Override
        public Deletion deleteUnlessWritten(Digest digest, Instant cutoff, UnusedCheck unused) throws IOException {
            return files.deleteUnlessWritten(digest, cutoff, unused);
        }

        @Override
        public void forEach(BlobVisitor visitor) throws IOException {
            files.forEach(visitor);
        }
    }
}
