package io.berth.sync.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.oci.Digest;
import io.berth.store.upstream.BlobSource;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamWriter;
import io.berth.sync.filter.Filters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A blob that several tasks of one execution need is pushed once: the task that needs it while
 * another pushes it waits and then mounts it from there, without a {@code HEAD} first and without
 * a byte sent; when the first push fails, the next task pushes it itself. An image's blobs go up
 * side by side.
 */
class BlobCopierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Digest BASE = Digest.sha256("base layer".getBytes(StandardCharsets.UTF_8));
    private static final Digest OWN = Digest.sha256("own layer".getBytes(StandardCharsets.UTF_8));

    @Test
    void blobAnotherTaskIsPushing_isWaitedFor_thenMountedFromItsRepository_withNoHeadAndNoByteSent()
            throws Exception {
        Destination dst = new Destination();
        dst.holdPushes = new CountDownLatch(1);
        BlobCopier copier = copier(dst);

        Future<BlobCopier.Sent> first = inThread(() -> copier.copy(target("a", new CopyLog(Clock.systemUTC())),
                List.of(descriptor(BASE, 1000))));
        assertTrue(dst.pushing.await(10, TimeUnit.SECONDS));
        CopyLog log = new CopyLog(Clock.systemUTC());
        Future<BlobCopier.Sent> second = inThread(() -> copier.copy(target("b", log), List.of(descriptor(BASE, 1000))));
        Thread.sleep(300);
        assertFalse(second.isDone(), "it waits for the push under way");
        dst.holdPushes.countDown();

        assertEquals(new BlobCopier.Sent(1000, 1), first.get(10, TimeUnit.SECONDS));
        assertEquals(new BlobCopier.Sent(0, 0), second.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("a<-null", "b<-a"), dst.pushes);
        assertEquals(List.of("a"), dst.heads, "the mount answers what a HEAD would have");
        assertTrue(log.text().contains("mounted blob " + BASE + " from a"), log.text());
    }

    @Test
    void blobWhoseFirstPushFailed_isPushedByTheNextTaskThatNeedsIt() throws Exception {
        Destination dst = new Destination();
        dst.failPushesInto = Set.of("a");
        BlobCopier copier = copier(dst);

        assertThrows(UpstreamException.class, () -> copier.copy(target("a", new CopyLog(Clock.systemUTC())),
                List.of(descriptor(BASE, 1000))));
        BlobCopier.Sent sent = copier.copy(target("b", new CopyLog(Clock.systemUTC())), List.of(descriptor(BASE, 1000)));

        assertEquals(new BlobCopier.Sent(1000, 1), sent);
        assertEquals(List.of("a<-null", "b<-null"), dst.pushes);
        assertEquals(List.of("a", "b"), dst.heads);
    }

    @Test
    void anImagesBlobs_goUpSideBySide() throws Exception {
        Destination dst = new Destination();
        dst.holdPushes = new CountDownLatch(1);
        dst.pushing = new CountDownLatch(2);
        BlobCopier copier = copier(dst);

        Future<BlobCopier.Sent> copy = inThread(() -> copier.copy(target("a", new CopyLog(Clock.systemUTC())),
                List.of(descriptor(BASE, 1000), descriptor(OWN, 500))));

        assertTrue(dst.pushing.await(10, TimeUnit.SECONDS), "both pushes under way at once");
        dst.holdPushes.countDown();
        assertEquals(new BlobCopier.Sent(1500, 2), copy.get(10, TimeUnit.SECONDS));
    }

    private static BlobCopier copier(Destination dst) {
        return new BlobCopier(dst, dst, dst, new CopySettings(Filters.of(List.of()).platforms(), true, true,
                PushOptions.defaults(), CopySettings.MAX_MANIFEST_SIZE));
    }

    private static BlobCopier.Target target(String destRepository, CopyLog log) {
        return new BlobCopier.Target("src", destRepository, log, () -> false, new LongAdder());
    }

    private static JsonNode descriptor(Digest digest, long size) {
        return JSON.createObjectNode().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                .put("digest", digest.toString()).put("size", size);
    }

    private static <T> Future<T> inThread(java.util.concurrent.Callable<T> call) {
        FutureTask<T> task = new FutureTask<>(call);
        Thread.ofVirtual().start(task);
        return task;
    }

    /** A destination that has no blob until one is pushed, and records its HEADs and pushes. */
    private static final class Destination implements Upstream, UpstreamWriter {
        final List<String> heads = Collections.synchronizedList(new ArrayList<>());
        final List<String> pushes = Collections.synchronizedList(new ArrayList<>());
        final Set<String> held = ConcurrentHashMap.newKeySet();
        volatile CountDownLatch pushing = new CountDownLatch(1);
        volatile CountDownLatch holdPushes = new CountDownLatch(0);
        volatile Set<String> failPushesInto = Set.of();

        @Override
        public OptionalLong headBlob(String repository, Digest digest) {
            heads.add(repository);
            return held.contains(repository + "@" + digest) ? OptionalLong.of(1) : OptionalLong.empty();
        }

        @Override
        public PushResult pushBlob(String repository, Digest digest, long size, BlobSource source, PushOptions options)
                throws UpstreamException {
            pushes.add(repository + "<-" + options.mountFrom());
            if (options.mountFrom() != null && held.contains(options.mountFrom() + "@" + digest)) {
                held.add(repository + "@" + digest);
                return new PushResult(true, 0, 0);
            }
            pushing.countDown();
            try {
                holdPushes.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failPushesInto.contains(repository)) {
                throw new UpstreamException(Kind.SERVER_ERROR, 500, null, "the registry failed", null);
            }
            held.add(repository + "@" + digest);
            return new PushResult(false, size, 0);
        }

        @Override
        public RegistryEndpoint endpoint() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ManifestHead> headManifest(String repository, String reference) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Manifest> getManifest(String repository, String reference, long maxSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<BlobStream> getBlob(String repository, Digest digest, long offset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<TagPage> tags(String repository, String last, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Manifest> referrers(String repository, Digest subject, String artifactType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void ping() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<RateLimit> rateLimit() {
            return Optional.empty();
        }

        @Override
        public boolean mountBlob(String repository, Digest digest, String fromRepository) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Digest putManifest(String repository, String reference, String mediaType, byte[] bytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean deleteManifest(String repository, String reference) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<CatalogPage> catalog(String last, int limit) {
            throw new UnsupportedOperationException();
        }
    }
}
