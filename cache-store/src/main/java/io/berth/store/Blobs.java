package io.berth.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.store.blob.BlobContent;
import io.berth.store.blob.BlobStore;
import io.berth.store.blob.UploadStore;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.BlobDao;
import io.berth.store.meta.Repositories;
import io.berth.store.meta.Transactions;
import io.berth.store.meta.UploadDao;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Blobs as repositories see them: a repository may read a blob only when it links to it, and it
 * gets a link by uploading the blob or by mounting it from a repository the caller may read. All
 * methods block (database, disk): call them off the event loop.
 */
public final class Blobs {
    /** Upload ids as any upload store writes them: checked before they reach a query. */
    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final Transactions tx;
    private final Repositories repositories;
    private final BlobStore store;
    private final UploadStore uploads;
    private final Clock clock;
    /**
     * repository + digest → size, with the key's generation when it was read: an entry is used only
     * while that generation holds (a change of this instance's is seen at once, however it races
     * with the read), and expires so another instance's unlink is seen soon.
     */
    private final Generations generations = new Generations();
    private final Cache<String, LinkedSize> linkedSizes = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(10)).build();

    private record LinkedSize(long size, long generation) {
    }

    /**
     * Upload id → digest of sessions whose content is stored but whose database step failed
     * (a busy database answers 503): the client's retry of the same {@code PUT} finishes the link
     * instead of finding its session gone.
     */
    private final Cache<String, Digest> storedUploads = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)).build();

    Blobs(Transactions tx, Repositories repositories, BlobStore store, UploadStore uploads, Clock clock) {
        this.tx = tx;
        this.repositories = repositories;
        this.store = store;
        this.uploads = uploads;
        this.clock = clock;
    }

    /** The size of a blob the repository may read. */
    public OptionalLong size(RepositoryName repository, Digest digest) throws IOException {
        String key = key(repository, digest);
        long generation = generations.current(key);
        LinkedSize cached = linkedSizes.getIfPresent(key);
        if (cached != null && cached.generation() == generation) {
            return OptionalLong.of(cached.size());
        }
        Optional<Long> linked = tx.withHandle(h -> repositories.find(h, repository)
                .flatMap(id -> h.attach(BlobDao.class).linkedSize(id, digest.toString())));
        if (linked.isEmpty() || store.stat(digest).isEmpty()) {
            return OptionalLong.empty();
        }
        linkedSizes.put(key, new LinkedSize(linked.get(), generation));
        return OptionalLong.of(linked.get());
    }

    /**
     * Opens {@code length} bytes of a blob from {@code offset}, in the store's best form; check
     * {@link #size} first. Empty when the content vanished meanwhile.
     */
    public Optional<BlobContent> open(Digest digest, long offset, long length) throws IOException {
        return store.open(digest, offset, length);
    }

    /**
     * The whole content of a blob the store holds, for the registry's own reads (export,
     * replication); which repository may see it is the caller's business.
     *
     * @throws java.nio.file.NoSuchFileException when the store does not hold it
     */
    public InputStream read(Digest digest) throws IOException {
        return store.read(digest);
    }

    /** Removes the repository's link to a blob; the content stays until garbage collection. */
    public void unlink(RepositoryName repository, Digest digest) {
        int removed = tx.inTransaction(h -> repositories.find(h, repository)
                .map(id -> h.attach(BlobDao.class).unlink(id, digest.toString())).orElse(0));
        generations.bump(key(repository, digest));
        linkedSizes.invalidate(key(repository, digest));
        if (removed == 0) {
            throw blobUnknown(repository, digest);
        }
    }

    /** Forgets the cached links of the repository to those digests (unlinked outside this class). */
    void forget(RepositoryName repository, Collection<String> digests) {
        for (String digest : digests) {
            String key = key(repository, digest);
            generations.bump(key);
            linkedSizes.invalidate(key);
        }
    }

    /**
     * Links a blob into {@code target} without uploading it, from {@code from}, which must link to
     * it. Returns false when it cannot be mounted. This is the registry's own mount (replication,
     * import): whether anyone may read {@code from} is the caller's business. A client's mount goes
     * through {@link #mount(RepositoryName, Digest, RepositoryName, Caller)}.
     */
    public boolean mount(RepositoryName target, Digest digest, RepositoryName from) {
        return tx.inTransaction(h -> {
            BlobDao blobs = h.attach(BlobDao.class);
            Optional<Long> size = repositories.find(h, from).flatMap(id -> blobs.linkedSize(id, digest.toString()));
            if (size.isEmpty()) {
                return false;
            }
            long targetId = repositories.ensure(h, target, clock.instant());
            blobs.link(targetId, digest.toString(), clock.instant());
            return true;
        });
    }

    /**
     * A client's mount of a blob into {@code target} ({@code ?mount=}): only content the caller may
     * read crosses into it. With {@code from}, the blob comes from that repository, when the caller
     * was granted pull on it ({@link Readable#granted}); without, from any repository the caller
     * may read ({@link Readable#reach}), as the distribution spec allows. Returns false when it
     * cannot be mounted (the client then uploads the blob), saying nothing of whether the blob is
     * somewhere the caller may not read.
     */
    public boolean mount(RepositoryName target, Digest digest, RepositoryName from, Caller caller) {
        Readable readable = caller.readable();
        if (from != null) {
            return readable.granted(from) && mount(target, digest, from);
        }
        Readable.Reach reach = readable.reach(); // before the transaction: working it out may need a connection
        if (reach.isEmpty()) {
            return false;
        }
        String blob = digest.toString();
        return tx.inTransaction(h -> {
            BlobDao blobs = h.attach(BlobDao.class);
            boolean held = reach.everything() ? blobs.linkedAnywhere(blob)
                    : Batches.any(reach.projects(), batch -> blobs.linkedInProjects(blob, batch))
                    || Batches.any(reach.repositories(), batch -> blobs.linkedInRepositories(blob, batch));
            if (!held) {
                return false;
            }
            long targetId = repositories.ensure(h, target, clock.instant());
            blobs.link(targetId, blob, clock.instant());
            return true;
        });
    }

    /**
     * Takes a blob the registry fetched from elsewhere (a proxy's upstream) into the store and links
     * it into the repositories {@code into}: {@code verifiedFile}, whose content the caller has checked
     * against {@code digest} and {@code size} and made durable, is adopted by the store (and gone
     * afterwards); with a null file the store already holds the content and only the links are
     * made. Repositories are created as needed; no event is written (blobs never have events).
     */
    public void linkFetched(Path verifiedFile, Digest digest, long size, Collection<RepositoryName> into)
            throws IOException {
        if (verifiedFile != null) {
            store.adopt(verifiedFile, digest);
        } else if (!store.refresh(digest)) { // refreshed, not just looked at: eviction's sweeper then keeps it
            throw new NoSuchFileException(digest.toString(), null, "the store does not hold the blob to link");
        }
        tx.useTransaction(h -> {
            Instant now = clock.instant();
            BlobDao blobs = h.attach(BlobDao.class);
            blobs.record(digest.toString(), size, now);
            for (RepositoryName repository : into) {
                blobs.link(repositories.ensure(h, repository, now), digest.toString(), now);
            }
        });
        for (RepositoryName repository : into) {
            generations.bump(key(repository, digest));
            linkedSizes.invalidate(key(repository, digest));
        }
    }

    /** Starts an upload session for the repository whose content is hashed with {@code algorithm}. */
    public String startUpload(RepositoryName repository, Digest.Algorithm algorithm) throws IOException {
        tx.useTransaction(h -> repositories.checkWritable(h, repository));
        String id = uploads.create(algorithm);
        try {
            tx.useTransaction(h -> h.attach(UploadDao.class).insert(id, repository.value(), clock.instant()));
        } catch (RuntimeException e) {
            uploads.delete(id);
            throw e;
        }
        return id;
    }

    /** Bytes an upload session has received so far. */
    public long uploadSize(RepositoryName repository, String uploadId) throws IOException {
        requireUpload(repository, uploadId);
        return uploads.size(uploadId);
    }

    /** Starts applying a chunk to an upload session; see {@link UploadStore#beginChunk}. */
    public UploadStore.Chunk beginChunk(RepositoryName repository, String uploadId, long expectedStart)
            throws IOException {
        requireUpload(repository, uploadId);
        return uploads.beginChunk(uploadId, expectedStart);
    }

    /** Verifies the upload against {@code digest}, stores it and links it into the repository. */
    public void completeUpload(RepositoryName repository, String uploadId, Digest digest) throws IOException {
        requireUpload(repository, uploadId);
        if (!digest.equals(storedUploads.getIfPresent(uploadId))) {
            try {
                uploads.complete(uploadId, digest);
            } catch (RegistryException e) {
                forgetUpload(uploadId);
                throw e;
            }
            storedUploads.put(uploadId, digest);
        } else if (!store.refresh(digest)) {
            // A retry long after the first attempt: the content, recorded nowhere, was collected meanwhile.
            storedUploads.invalidate(uploadId);
            forgetUpload(uploadId);
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + uploadId + " was stored but not"
                    + " recorded, and its content is gone since: upload the blob again", uploadId);
        }
        long size = store.stat(digest).orElseThrow(() -> new IOException("committed blob " + digest + " vanished"));
        tx.useTransaction(h -> {
            long repositoryId = repositories.ensure(h, repository, clock.instant());
            BlobDao blobs = h.attach(BlobDao.class);
            blobs.record(digest.toString(), size, clock.instant());
            blobs.link(repositoryId, digest.toString(), clock.instant());
            h.attach(UploadDao.class).delete(uploadId);
        });
        storedUploads.invalidate(uploadId);
    }

    /** Ends an upload session and discards what it received. */
    public void cancelUpload(RepositoryName repository, String uploadId) throws IOException {
        requireUpload(repository, uploadId);
        uploads.delete(uploadId);
        forgetUpload(uploadId);
    }

    private void forgetUpload(String uploadId) {
        tx.useTransaction(h -> h.attach(UploadDao.class).delete(uploadId));
    }

    private void requireUpload(RepositoryName repository, String uploadId) {
        boolean known = uploadId != null && UPLOAD_ID.matcher(uploadId).matches() && tx.withHandle(
                h -> h.attach(UploadDao.class).repositoryOf(uploadId)).map(repository.value()::equals).orElse(false);
        if (!known) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + uploadId + " is not known in "
                    + repository + " (it may have expired or finished): start a new upload", uploadId);
        }
    }

    static RegistryException blobUnknown(RepositoryName repository, Digest digest) {
        return new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + repository,
                digest.toString());
    }

    private static String key(RepositoryName repository, Digest digest) {
        return key(repository, digest.toString());
    }

    private static String key(RepositoryName repository, String digest) {
        return repository.value() + '@' + digest;
    }
}
