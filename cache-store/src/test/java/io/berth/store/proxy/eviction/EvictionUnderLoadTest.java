package io.berth.store.proxy.eviction;

import io.berth.store.Registry;
import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.gc.BlobReclaimer;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.ManifestJson;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.berth.store.testing.ManifestJson.OCI_CONFIG;
import static io.berth.store.testing.ManifestJson.OCI_LAYER;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.descriptor;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eviction and content removal running while clients push images whose layers the proxy cache also
 * holds, mount those layers out of it, and pull from it: afterwards every artifact that remains, in
 * every project, is fully pullable from a registry with cold caches, every blob row has its content,
 * and no link points at a missing row. Rows are released as if long ago and the seeded content is
 * made old, so the concurrent sweeps really remove content while the same layers are written again.
 */
@OnH2AndPostgres
class EvictionUnderLoadTest extends ProxyCacheTestBase {
    private static final int LAYERS = 6;
    private static final int CACHED_IMAGES = 9;
    private static final int PUSHERS = 2;
    private static final int PUSHES = 5;
    private static final int PULLS = 20;
    private static final int EVICTIONS = 4;

    EvictionUnderLoadTest(TestDatabase database) {
        super(database);
    }

    @Test
    void evictionWhilePushesMountsAndPullsRun_leavesEveryRemainingArtifactFullyPullable() throws Exception {
        proxyProject("hub", null, null);
        List<byte[]> layers = new ArrayList<>();
        for (int i = 0; i < LAYERS; i++) {
            layers.add(utf8("shared layer " + i + " " + "x".repeat(200 * (i + 1))));
        }
        List<RepositoryName> cachedIn = new ArrayList<>();
        List<Digest> cached = new ArrayList<>();
        for (int i = 0; i < CACHED_IMAGES; i++) {
            RepositoryName repository = repo("hub/library/r" + (i % 3));
            Image image = imageWith("cached " + i, layers.get(i % LAYERS), layers.get((i + 1) % LAYERS));
            cache(repository, "t" + i, image);
            cachedIn.add(repository);
            cached.add(image.digest());
        }
        pin(cachedIn.get(0), cached.get(0));
        budget("hub", caches().status("hub").usage().bytes() / 3);
        makeEverythingOld();

        AtomicInteger evicted = new AtomicInteger();
        AtomicInteger removed = new AtomicInteger();
        List<Callable<Void>> work = new ArrayList<>();
        work.add(() -> {
            BlobReclaimer sweeper = new BlobReclaimer(registry.transactions(), new FilesystemBlobStore(paths()), GRACE,
                    Clock.systemUTC());
            for (int i = 0; i < EVICTIONS; i++) {
                evicted.addAndGet((int) run().projects().stream().mapToLong(EvictionReport::artifacts).sum());
                removed.addAndGet(sweeper.sweep().deleted());
            }
            return null;
        });
        for (int p = 0; p < PUSHERS; p++) {
            int pusher = p;
            work.add(() -> {
                SplittableRandom random = new SplittableRandom(pusher);
                RepositoryName target = repo("team/app" + pusher);
                for (int i = 0; i < PUSHES; i++) {
                    int first = random.nextInt(LAYERS);
                    Image image = imageWith("pushed " + pusher + " " + i, layers.get(first),
                            layers.get((first + 3) % LAYERS));
                    // A layer mounted out of the cache when it still holds it, uploaded otherwise.
                    if (!registry.blobs().mount(target, Digest.sha256(image.layers().getFirst()),
                            cachedIn.get(random.nextInt(CACHED_IMAGES)))) {
                        upload(target, image.layers().getFirst());
                    }
                    upload(target, image.layers().get(1));
                    upload(target, image.config());
                    put(target, "v" + i, image.manifest(), OCI_MANIFEST);
                }
                return null;
            });
        }
        work.add(() -> {
            SplittableRandom random = new SplittableRandom(99);
            for (int i = 0; i < PULLS; i++) {
                int which = random.nextInt(CACHED_IMAGES);
                try {
                    registry.manifests().get(cachedIn.get(which), Reference.of(cached.get(which)));
                    pulled(cachedIn.get(which), cached.get(which), clock.instant().plusSeconds(i));
                } catch (RuntimeException evictedMeanwhile) {
                    // a proxy fetches it again; here there is no upstream
                }
            }
            return null;
        });
        runTogether(work);

        assertTrue(evicted.get() > 0, "the budget made eviction remove artifacts");
        assertTrue(removed.get() > 0, "sweeps removed the content of released blobs");
        assertTrue(holds(cachedIn.get(0), cached.get(0)), "the pinned artifact stays");
        assertEverythingLeftIsWhole();
    }

    private void assertEverythingLeftIsWhole() {
        Registry cold = open();
        List<String[]> artifacts = registry.transactions().withHandle(h -> h.createQuery("SELECT r.name, a.digest"
                + " FROM artifact a JOIN repository r ON r.id = a.repository_id")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list());
        for (String[] artifact : artifacts) {
            assertFullyPullable(cold, repo(artifact[0]), artifact[1]);
        }
        for (String digest : registry.transactions().withHandle(h -> h.createQuery("SELECT digest FROM blob")
                .mapTo(String.class).list())) {
            assertTrue(Files.exists(paths().blob(Digest.parse(digest))), "the row of " + digest + " has no content");
        }
        assertEquals(0, count("SELECT COUNT(*) FROM repository_blob rb WHERE NOT EXISTS"
                + " (SELECT 1 FROM blob b WHERE b.digest = rb.digest)"));
        assertEquals(0, count("SELECT COUNT(*) FROM artifact a WHERE NOT EXISTS"
                + " (SELECT 1 FROM blob b WHERE b.digest = a.digest)"));
    }

    private static Image imageWith(String seed, byte[] first, byte[] second) {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}");
        byte[] manifest = utf8(ManifestJson.image(OCI_MANIFEST, descriptor(OCI_CONFIG, config), null,
                descriptor(OCI_LAYER, first), descriptor(OCI_LAYER, second)));
        return new Image(config, List.of(first, second), manifest);
    }

    private void pin(RepositoryName repository, Digest digest) {
        caches().pin("hub", repository.value().substring("hub/".length()), digest.toString(), true, (h, a) -> {
        });
    }

    private ProxyCaches caches() {
        return new ProxyCaches(registry.transactions());
    }

    private void makeEverythingOld() throws Exception {
        FileTime old = FileTime.from(Instant.now().minus(GRACE.multipliedBy(2)));
        try (Stream<Path> files = Files.walk(paths().blobs())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, old);
            }
        }
    }

    private static void runTogether(List<Callable<Void>> work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(work.size());
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (Callable<Void> task : work) {
                running.add(threads.submit(task));
            }
            for (Future<Void> task : running) {
                task.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
