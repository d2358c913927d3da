package io.berth.sync.copy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.upstream.BlobSource;
import io.berth.store.upstream.BlobSourceException;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamWriter;
import io.berth.store.upstream.UpstreamWriter.PushResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The blobs of one manifest copied to the destination, {@value #PARALLEL_BLOBS} at a time (an
 * image's config and layers are independent: their round trips overlap instead of adding up), each
 * blob once per execution: the first task that needs it checks the destination ({@code HEAD}) and
 * pushes it; a task that needs it meanwhile waits for that push and then mounts it from the
 * repository it went to ({@code POST ?mount=&from=}, 201 without a byte sent), with no {@code HEAD}
 * first, since a mount answers that question too. Without this, the tasks that start together all
 * pushed the base layers they share. Shared by an execution's tasks; each call blocks on the network.
 */
final class BlobCopier {
    /** Blobs of one manifest in flight at once, per task. */
    static final int PARALLEL_BLOBS = 3;
    private static final long WAKE_MILLIS = 200;

    private final Upstream source;
    private final Upstream destination;
    private final UpstreamWriter writer;
    private final CopySettings settings;
    /**
     * Per blob, the destination repository that holds it once its first push of this execution
     * ended (null when that push failed: the next task tries itself).
     */
    private final ConcurrentMap<Digest, CompletableFuture<String>> arrivals = new ConcurrentHashMap<>();

    BlobCopier(Upstream source, Upstream destination, UpstreamWriter writer, CopySettings settings) {
        this.source = source;
        this.destination = destination;
        this.writer = writer;
        this.settings = settings;
    }

    /** Where one manifest's blobs go, and what its copy reports to. */
    record Target(String sourceRepository, String destRepository, CopyLog log, BooleanSupplier stopped,
                  LongAdder sent) {
    }

    /** What copying a manifest's blobs sent: bytes and blobs uploaded (mounted and present ones aside). */
    record Sent(long bytes, int blobs) {
    }

    /**
     * Copies the blobs of {@code descriptors} (config and layers; non-distributable ones are logged
     * and left out). The first failure stops the others and is thrown once they ended.
     */
    Sent copy(Target target, List<JsonNode> descriptors) throws UpstreamException, BlobSourceException {
        List<JsonNode> blobs = new ArrayList<>();
        for (JsonNode descriptor : descriptors) {
            if (descriptor.isMissingNode() || !descriptor.hasNonNull("digest")) {
                continue;
            }
            String mediaType = descriptor.path("mediaType").asText("");
            if (MediaTypes.NON_DISTRIBUTABLE_LAYERS.contains(mediaType)) {
                target.log().add("blob " + descriptor.path("digest").asText() + " is non-distributable (" + mediaType
                        + "): not copied");
                continue;
            }
            blobs.add(descriptor);
        }
        AtomicLong bytes = new AtomicLong();
        AtomicInteger pushed = new AtomicInteger();
        if (blobs.size() == 1) {
            copyOne(target, blobs.getFirst(), bytes, pushed);
            return new Sent(bytes.get(), pushed.get());
        }
        AtomicBoolean failed = new AtomicBoolean();
        Target sibling = new Target(target.sourceRepository(), target.destRepository(), target.log(),
                () -> failed.get() || target.stopped().getAsBoolean(), target.sent());
        Semaphore slots = new Semaphore(PARALLEL_BLOBS);
        List<Future<Void>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (JsonNode blob : blobs) {
                running.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        copyOne(sibling, blob, bytes, pushed);
                        return null;
                    } catch (Exception | Error e) {
                        failed.set(true);
                        throw e;
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        throwFirstFailure(running);
        return new Sent(bytes.get(), pushed.get());
    }

    private void copyOne(Target t, JsonNode descriptor, AtomicLong bytes, AtomicInteger pushed)
            throws UpstreamException, BlobSourceException {
        Digest digest = Digest.parse(descriptor.path("digest").asText());
        long size = descriptor.path("size").asLong(-1);
        checkStop(t.stopped());
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> first = arrivals.putIfAbsent(digest, mine);
        String mountFrom = null;
        if (first != null) {
            mountFrom = await(first, t.stopped());
            if (t.destRepository().equals(mountFrom)) {
                return; // another task of this execution put it into this very repository
            }
        }
        boolean owner = first == null;
        try {
            if (mountFrom == null && destination.headBlob(t.destRepository(), digest).isPresent()) {
                if (owner) {
                    mine.complete(t.destRepository());
                }
                return;
            }
            PushResult result = writer.pushBlob(t.destRepository(), digest, size,
                    BlobSource.of(source, t.sourceRepository(), digest),
                    settings.push().withMountFrom(mountFrom).withHooks(n -> {
                        settings.push().throttle().accept(n);
                        t.sent().add(n);
                    }, () -> t.stopped().getAsBoolean() || settings.push().stopped().getAsBoolean()));
            if (owner) {
                mine.complete(t.destRepository());
            }
            if (result.mounted()) {
                t.log().add("mounted blob " + digest + " from " + mountFrom);
            } else {
                bytes.addAndGet(result.bytesSent());
                pushed.incrementAndGet();
                t.log().add("pushed blob " + digest + " (" + size + " bytes" + (result.resumes() > 0 ? ", resumed "
                        + result.resumes() + " times" : "") + ")");
            }
        } finally {
            if (owner && !mine.isDone()) {
                arrivals.remove(digest, mine); // failed or stopped: whoever needs it next tries itself
                mine.complete(null);
            }
        }
    }

    /** The repository another task's push of the blob went to, once it ended; null when it failed. */
    private static String await(CompletableFuture<String> push, BooleanSupplier stopped) {
        while (true) {
            checkStop(stopped);
            try {
                return push.get(WAKE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                // look at the stop again
            } catch (ExecutionException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while another task pushed a blob this one needs");
            }
        }
    }

    /** Rethrows the first real failure (a stop the failure caused in the others comes after it). */
    private static void throwFirstFailure(List<Future<Void>> running) throws UpstreamException, BlobSourceException {
        Throwable first = null;
        for (Future<Void> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (first == null || first instanceof CancellationException && !(cause instanceof CancellationException)) {
                    first = cause;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while copying blobs");
            }
        }
        switch (first) {
            case null -> { }
            case UpstreamException e -> throw e;
            case BlobSourceException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new UpstreamException(Kind.INVALID_RESPONSE, 0, null, "copying a blob failed: " + first,
                    first);
        }
    }

    private static void checkStop(BooleanSupplier stopped) {
        if (stopped.getAsBoolean()) {
            throw new CancellationException("the execution was stopped");
        }
    }
}
