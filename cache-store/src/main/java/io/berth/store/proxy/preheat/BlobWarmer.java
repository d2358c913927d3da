package io.berth.store.proxy.preheat;

import io.berth.store.blob.BlobContent;
import io.berth.store.content.ContentSource;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;

/**
 * The blobs of one preheat job, fetched into the cache a few at a time through proxy repositories'
 * content sources: a blob the repository holds costs a file open, a missing one starts (or joins)
 * the cache's single-flight fill, which a client pulling it meanwhile shares. Each blob is fetched
 * once per job, however many of its references share it.
 */
final class BlobWarmer {
    private final Executor executor;
    private final Semaphore slots;
    private final JobProgress progress;
    private final Set<Digest> counted = ConcurrentHashMap.newKeySet();
    private final Set<Digest> cached = ConcurrentHashMap.newKeySet();

    /** @param atOnce how many blobs the job fetches at the same time */
    BlobWarmer(Executor executor, int atOnce, JobProgress progress) {
        this.executor = executor;
        this.slots = new Semaphore(atOnce);
        this.progress = progress;
    }

    /**
     * Fetches the blobs this job has not cached yet, adding those it sees for the first time to its
     * totals and each cached one to what is done; returns why each failed blob failed.
     */
    List<String> warm(ContentSource source, Collection<Descriptor> blobs) throws InterruptedException {
        int found = 0;
        long bytes = 0;
        for (Descriptor blob : blobs) {
            if (counted.add(blob.digest())) {
                found++;
                bytes += blob.size();
            }
        }
        progress.found(0, found, bytes);
        List<FutureTask<String>> tasks = new ArrayList<>();
        for (Descriptor blob : blobs) {
            if (cached.contains(blob.digest())) {
                continue;
            }
            slots.acquire();
            FutureTask<String> task = new FutureTask<>(() -> {
                try {
                    return warmOne(source, blob);
                } finally {
                    slots.release();
                }
            });
            tasks.add(task);
            executor.execute(task);
        }
        List<String> failures = new ArrayList<>();
        for (FutureTask<String> task : tasks) {
            try {
                String failure = task.get();
                if (failure != null) {
                    failures.add(failure);
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InterruptedException stopped) {
                    throw stopped;
                }
                failures.add("a blob could not be fetched: " + e.getCause());
            }
        }
        return failures;
    }

    /** Caches one blob; null when it is cached, else why it is not. */
    private String warmOne(ContentSource source, Descriptor blob) throws InterruptedException {
        Digest digest = blob.digest();
        try {
            OptionalLong size = source.blobSizeToRead(digest);
            if (size.isEmpty()) {
                return "blob " + digest + " is not at the upstream";
            }
            if (!awaitCached(source, digest, size.getAsLong())) {
                return "blob " + digest + " vanished from the cache while it was fetched: preheat it again";
            }
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped while fetching blob " + digest);
            }
            return "blob " + digest + ": " + e.getMessage();
        }
        if (cached.add(digest)) {
            progress.cached(0, 0, 1, blob.size());
        }
        return null;
    }

    /**
     * Waits until the blob is verified, reading its last byte: a fill serves the last byte of a
     * span only once it verified the whole blob's digest (and fails the read when it does not
     * match), so this waits for the verified blob without reading the rest of it again; the fill
     * stores and links it right after. A blob the store holds already is not read at all.
     */
    private static boolean awaitCached(ContentSource source, Digest digest, long size) throws IOException {
        long from = Math.max(0, size - 1);
        Optional<BlobContent> opened = source.openBlob(digest, from, size - from);
        if (opened.isEmpty()) {
            return false;
        }
        try (BlobContent content = opened.get()) {
            if (content instanceof BlobContent.Stream stream) {
                drain(stream.channel());
            }
        }
        return true;
    }

    private static void drain(ReadableByteChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1);
        while (channel.read(buffer) >= 0) {
            buffer.clear();
        }
    }
}
