package io.berth.store.transfer.imports;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.archive.ArchiveContent;
import io.berth.store.transfer.imports.ImagePlan.Blob;
import io.berth.store.transfer.imports.ImagePlan.Manifest;
import io.berth.store.transfer.imports.ImportListener.Action;
import io.berth.store.transfer.imports.ImportListener.Kind;
import io.berth.store.transfer.imports.ImportListener.Step;
import io.berth.store.transfer.imports.ImportResult.ImageResult;
import io.berth.store.transfer.imports.ImportResult.Status;
import io.berth.store.upstream.BlobSource;
import io.berth.store.upstream.BlobSourceException;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamWriter;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pushes one planned image: into each target repository its blobs, {@value #PARALLEL_BLOBS} at a
 * time (a {@code HEAD} first; a mount from a repository this import pushed the blob to; else
 * streamed from the archive, hashed on the way), then its manifests children first and its
 * referrers after their subjects, and only then, with everything present, its tags and fallback
 * tags. A failure stops the image before any tag (blobs already on their way finish first).
 */
final class ImagePusher {
    /**
     * Blobs of an image pushed at once: one stream leaves the disk, both sides' hashing and the
     * registry's writes partly idle (each waits on the other); three keep them busy without
     * opening many sessions on the registry.
     */
    static final int PARALLEL_BLOBS = 3;

    private final ArchiveContent archive;
    private final Upstream reader;
    private final UpstreamWriter writer;
    private final String registry;
    private final PushOptions push;
    private final boolean dryRun;
    private final ImportListener listener;
    private final Map<Digest, String> pushedTo;
    private final ProgressCounter progress;

    private ImagePlan plan;
    private final AtomicInteger blobsPushed = new AtomicInteger();
    private final AtomicInteger blobsPresent = new AtomicInteger();
    private int manifestsPushed;
    private int tagsPushed;
    private final AtomicLong sent = new AtomicLong();

    ImagePusher(ArchiveContent archive, Upstream reader, UpstreamWriter writer, String registry, PushOptions push,
                boolean dryRun, ImportListener listener, Map<Digest, String> pushedTo, ProgressCounter progress) {
        this.archive = archive;
        this.reader = reader;
        this.writer = writer;
        this.registry = registry;
        this.push = push;
        this.dryRun = dryRun;
        this.listener = listener;
        this.pushedTo = pushedTo;
        this.progress = progress;
    }

    /** Imports {@code image}; a failure is an {@link ImportException} naming the image and what failed. */
    ImageResult push(ImagePlan image) throws ImportException {
        this.plan = image;
        Set<String> repositories = new LinkedHashSet<>();
        image.targets().forEach(t -> repositories.add(t.repository()));
        try {
            for (String repository : repositories) {
                blobs(repository, image.blobs());
                for (Manifest m : image.manifests()) {
                    manifest(repository, m);
                }
                for (Manifest m : image.referrers()) {
                    manifest(repository, m);
                }
            }
            for (Target target : image.targets()) {
                if (target.tag() != null) {
                    tag(target.repository(), target.tag(), image.root());
                }
            }
            for (String repository : repositories) {
                for (Map.Entry<String, Manifest> fallback : image.fallbackTags().entrySet()) {
                    FallbackTags.put(reader, writer, repository, fallback.getKey(), fallback.getValue(), dryRun)
                            .ifPresent(action -> step(Kind.TAG, repository + ":" + fallback.getKey(), action, 0));
                }
            }
        } catch (UpstreamException e) {
            throw new ImportException("image " + image.label() + ": the registry " + registry + " failed: "
                    + e.getMessage() + ". Nothing was tagged for this image; run the import again to continue", e);
        }
        boolean changed = blobsPushed.get() + manifestsPushed + tagsPushed > 0;
        return new ImageResult(image.label(), image.targets(), changed ? Status.IMPORTED : Status.PRESENT,
                blobsPushed.get(), blobsPresent.get(), manifestsPushed, tagsPushed, sent.get(), null);
    }

    /**
     * Pushes {@code blobs} into {@code repository} on up to {@value #PARALLEL_BLOBS} threads; after a
     * failure no further blob is started, and the first failure is thrown once the others ended.
     */
    private void blobs(String repository, List<Blob> blobs) throws UpstreamException, ImportException {
        Queue<Blob> left = new ConcurrentLinkedQueue<>(blobs);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Runnable worker = () -> {
            Blob next;
            while (failure.get() == null && (next = left.poll()) != null) {
                try {
                    blob(repository, next);
                } catch (UpstreamException | ImportException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i < Math.min(PARALLEL_BLOBS, blobs.size()); i++) {
            threads.add(Thread.ofVirtual().name("berth-import-blob").start(worker));
        }
        worker.run();
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new ImportException("image " + plan.label() + ": the import was interrupted."
                    + " Nothing was tagged for this image; run the import again to continue", e));
        }
        switch (failure.get()) {
            case null -> { }
            case UpstreamException e -> throw e;
            case ImportException e -> throw e;
            case RuntimeException e -> throw e;
            default -> throw new IllegalStateException(failure.get());
        }
    }

    private void blob(String repository, Blob blob) throws UpstreamException, ImportException {
        long size = blob.size() >= 0 ? blob.size() : blob.archiveSize();
        OptionalLong held = reader.headBlob(repository, blob.digest());
        if (held.isPresent()) {
            blobsPresent.incrementAndGet();
            done(size, Kind.BLOB, blob.digest().toString(), Action.PRESENT);
            return;
        }
        if (!blob.inArchive()) {
            if (!blob.distributable()) {
                return;
            }
            throw new ImportException("image " + plan.label() + " needs blob " + blob.digest() + " (" + size
                    + " bytes), which " + archive.source() + " does not hold (a delta bundle leaves out what the"
                    + " target held when its inventory was taken) and " + registry + "/" + repository + " does not"
                    + " have: import the bundles this delta was cut after first, or export a full bundle."
                    + " Nothing was tagged for this image");
        }
        if (size != blob.archiveSize()) {
            throw new ImportException("image " + plan.label() + ": blob " + blob.digest() + " is " + blob.archiveSize()
                    + " bytes in " + archive.source() + " but its manifest says " + size + ": the archive is"
                    + " damaged or truncated; write it again. Nothing was tagged for this image");
        }
        if (dryRun) {
            blobsPushed.incrementAndGet();
            done(size, Kind.BLOB, blob.digest().toString(), Action.WOULD_PUSH);
            return;
        }
        String elsewhere = pushedTo.get(blob.digest());
        AtomicLong inFlight = new AtomicLong();
        // The archive is read once and not hashed here: the registry checks every blob's digest
        // before it commits it (one hash, not two), and a mismatch fails the image below.
        PushOptions options = push.withMountFrom(elsewhere != null && !elsewhere.equals(repository) ? elsewhere : null)
                .withoutSourceCheck()
                .withHooks(bytes -> {
                    sent.addAndGet(bytes);
                    inFlight.addAndGet(bytes);
                    progress.sent(bytes);
                }, () -> Thread.currentThread().isInterrupted());
        BlobSource source = offset -> {
            InputStream in = archive.open(blob.digest());
            in.skipNBytes(offset);
            return in;
        };
        UpstreamWriter.PushResult result;
        try {
            result = writer.pushBlob(repository, blob.digest(), size, source, options);
        } catch (BlobSourceException e) {
            throw corrupt(blob, e.getMessage(), e);
        } catch (UpstreamException e) {
            if (e.registryCode().filter(c -> c.equals("DIGEST_INVALID") || c.equals("SIZE_INVALID")).isPresent()) {
                throw corrupt(blob, "the registry found that its bytes are not that blob: " + e.getMessage(), e);
            }
            throw e;
        } finally {
            progress.landed(inFlight.get());
        }
        pushedTo.putIfAbsent(blob.digest(), repository);
        (result.mounted() ? blobsPresent : blobsPushed).incrementAndGet();
        done(size, Kind.BLOB, blob.digest().toString(), result.mounted() ? Action.MOUNTED : Action.PUSHED);
    }

    private ImportException corrupt(Blob blob, String why, Exception cause) {
        return new ImportException("image " + plan.label() + ": blob " + blob.digest() + " in " + archive.source()
                + " is corrupt or unreadable (" + why + "): the archive is damaged; write it again."
                + " Nothing was tagged for this image", cause);
    }

    private void manifest(String repository, Manifest m) throws UpstreamException, ImportException {
        if (reader.headManifest(repository, m.digest().toString()).isPresent()) {
            done(Math.max(0, m.size()), Kind.MANIFEST, m.digest().toString(), Action.PRESENT);
            return;
        }
        if (m.bytes() == null) {
            if (m.optional()) {
                return;
            }
            throw new ImportException("image " + plan.label() + " needs manifest " + m.digest() + ", which "
                    + archive.source() + " does not hold and " + registry + "/" + repository + " does not have:"
                    + " import the bundles this delta was cut after first, or export a full bundle."
                    + " Nothing was tagged for this image");
        }
        if (!dryRun) {
            writer.putManifest(repository, m.digest().toString(), m.mediaType(), m.bytes());
            sent.addAndGet(m.bytes().length);
            progress.sent(m.bytes().length);
            progress.landed(m.bytes().length);
        }
        manifestsPushed++;
        done(m.bytes().length, Kind.MANIFEST, m.digest().toString(), dryRun ? Action.WOULD_PUSH : Action.PUSHED);
    }

    private void tag(String repository, String tag, Manifest root) throws UpstreamException, ImportException {
        Optional<Upstream.ManifestHead> head = reader.headManifest(repository, tag);
        if (head.isPresent() && head.get().digest().equals(root.digest())) {
            step(Kind.TAG, repository + ":" + tag, Action.PRESENT, 0);
            return;
        }
        byte[] bytes = root.bytes();
        String mediaType = root.mediaType();
        if (bytes == null && !dryRun) {
            Upstream.Manifest held = reader.getManifest(repository, root.digest().toString(), 4 << 20)
                    .orElseThrow(() -> new ImportException("image " + plan.label() + ": " + registry + "/"
                            + repository + " lost manifest " + root.digest() + " while it was being tagged"));
            bytes = held.bytes();
            mediaType = held.mediaType() != null ? held.mediaType() : mediaType;
        }
        if (!dryRun) {
            writer.putManifest(repository, tag, mediaType, bytes);
        }
        tagsPushed++;
        step(Kind.TAG, repository + ":" + tag, dryRun ? Action.WOULD_PUSH : Action.PUSHED, 0);
    }

    private void done(long bytes, Kind kind, String what, Action action) {
        progress.done(plan.label(), bytes);
        step(kind, what, action, bytes);
    }

    private void step(Kind kind, String what, Action action, long bytes) {
        listener.step(plan.label(), new Step(kind, what, action, bytes));
    }

    /** The outcome of an image that failed with {@code message}: what it had pushed before. */
    ImageResult failed(String message) {
        return new ImageResult(plan.label(), plan.targets(), Status.FAILED, blobsPushed.get(), blobsPresent.get(),
                manifestsPushed, 0, sent.get(), message);
    }
}
