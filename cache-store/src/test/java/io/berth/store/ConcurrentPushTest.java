package io.berth.store;

import io.berth.store.blob.UploadStore;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.ManifestJson;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.emptyConfig;
import static io.berth.store.testing.ManifestJson.utf8;
import static io.berth.store.testing.TestRegistries.TEST_CALLER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several clients (through several registry instances over one database) pushing the same thing
 * at once: every one of them must succeed, and the database must hold each row once. On
 * PostgreSQL this is where concurrent MERGEs of one new key collide and are retried.
 */
@OnH2AndPostgres
class ConcurrentPushTest extends RegistryTestBase {
    interface Work<T> {
        T run(Registry registry, int index) throws Exception;
    }

    private static final int CLIENTS = 8;

    ConcurrentPushTest(TestDatabase database) {
        super(database);
    }

    /** Runs {@code work} on {@link #CLIENTS} threads released together, each with its own instance. */
    private <T> List<T> race(Work<T> work) throws Exception {
        List<Registry> instances = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            instances.add(open(true));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Registry instance = instances.get(i);
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.run(instance, index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " of " + CLIENTS + " clients failed");
                failures.forEach(error::addSuppressed);
                throw error;
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] artifact(String note) {
        return utf8(ManifestJson.image(OCI_MANIFEST, emptyConfig(),
                "\"artifactType\":\"application/vnd.example.note\",\"annotations\":{\"note\":\"" + note + "\"}"));
    }

    @Test
    void sameManifestAndTag_pushedIntoNewProjectByManyClients_allSucceedAndAreRecordedOnce() throws Exception {
        for (int round = 0; round < 3; round++) {
            RepositoryName name = repo("race" + round + "/app");
            byte[] manifest = artifact("same for everyone");

            List<Digest> digests = race((r, i) -> r.manifests()
                    .put(ManifestPush.of(name, Reference.parse("latest"), OCI_MANIFEST, manifest, TEST_CALLER)).digest());

            assertEquals(1, new HashSet<>(digests).size());
            assertEquals(Digest.sha256(manifest), registry.manifests().get(name, Reference.parse("latest")).digest());
            assertEquals(List.of("latest"), registry.listings().tags(name, null, 10).items());
        }
        assertEquals(3, count("SELECT COUNT(*) FROM project"));
        assertEquals(3, count("SELECT COUNT(*) FROM repository"));
        assertEquals(3, count("SELECT COUNT(*) FROM artifact"));
        assertEquals(3, count("SELECT COUNT(*) FROM tag"));
        assertEquals(3, count("SELECT COUNT(*) FROM repository_blob"), "the empty config, linked once per repository");
        assertEquals(2, count("SELECT COUNT(*) FROM blob"), "the empty config and the one manifest");
    }

    @Test
    void sameImage_pushedIntoExistingRepositoryByManyClients_allSucceed() throws Exception {
        RepositoryName app = repo("team/app");
        Image image = image("contended");
        uploadBlobs(app, image);

        race((r, i) -> r.manifests().put(ManifestPush.of(app, Reference.parse("v1"), OCI_MANIFEST, image.manifest(), TEST_CALLER)));

        assertEquals(image.digest(), registry.manifests().get(app, Reference.parse("v1")).digest());
        assertEquals(1, count("SELECT COUNT(*) FROM artifact"));
        assertEquals(1, count("SELECT COUNT(*) FROM tag"));
        assertEquals(3, count("SELECT COUNT(*) FROM artifact_reference"));
    }

    @Test
    void differentManifestsUnderOneTag_pushedByManyClients_allSucceedAndTagPointsToOne() throws Exception {
        RepositoryName app = repo("team/app");

        List<Digest> digests = race((r, i) -> r.manifests()
                .put(ManifestPush.of(app, Reference.parse("latest"), OCI_MANIFEST, artifact("client " + i), TEST_CALLER))
                .digest());

        assertEquals(CLIENTS, new HashSet<>(digests).size());
        assertEquals(CLIENTS, count("SELECT COUNT(*) FROM artifact"));
        assertEquals(List.of("latest"), registry.listings().tags(app, null, 10).items());
        assertTrue(digests.contains(registry.manifests().get(app, Reference.parse("latest")).digest()));
    }

    @Test
    void sameBlob_uploadedInParallelSessionsIntoNewProject_allCompleteAndAreRecordedOnce() throws Exception {
        RepositoryName app = repo("fresh/app");
        byte[] content = utf8("the same layer from every client ".repeat(1000));
        Digest digest = Digest.sha256(content);

        race((r, i) -> {
            String id = r.blobs().startUpload(app, Digest.Algorithm.SHA256);
            try (UploadStore.Chunk chunk = r.blobs().beginChunk(app, id, 0)) {
                chunk.write(ByteBuffer.wrap(content));
                chunk.commit();
            }
            r.blobs().completeUpload(app, id, digest);
            return null;
        });

        assertEquals(content.length, registry.blobs().size(app, digest).orElseThrow());
        assertArrayEquals(content, read(registry, digest));
        assertEquals(1, count("SELECT COUNT(*) FROM blob"));
        assertEquals(1, count("SELECT COUNT(*) FROM repository_blob"));
        assertEquals(0, count("SELECT COUNT(*) FROM upload"));
    }

    @Test
    void sameBlob_mountedIntoNewProjectByManyClients_allSucceed() throws Exception {
        Digest digest = upload(repo("team/source"), utf8("mounted layer"));
        RepositoryName target = repo("other/target");

        List<Boolean> mounted = race((r, i) -> r.blobs().mount(target, digest, repo("team/source")));

        assertEquals(List.of(true), new ArrayList<>(new HashSet<>(mounted)));
        assertTrue(registry.blobs().size(target, digest).isPresent());
        assertEquals(2, count("SELECT COUNT(*) FROM repository_blob"));
        assertEquals(2, count("SELECT COUNT(*) FROM project"));
    }
}
