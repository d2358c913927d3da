package io.berth.store.proxy.eviction;

import io.berth.store.Registry;
import io.berth.store.StoredManifest;
import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.gc.BlobReclaimer;
import io.berth.store.gc.TaskLease;
import io.berth.store.manifest.ManifestParser;
import io.berth.store.manifest.ParsedManifest;
import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.ProjectDao;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.proxy.ProxyProjectDao;
import io.berth.store.testing.ManifestJson;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import io.berth.store.testing.TestRegistries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proxy projects seeded the way the pull-through cache fills them, straight through the store (a
 * registry endpoint row, a proxy project, manifests recorded with {@code Manifests.record} and their
 * blobs uploaded and linked), pulls noted as the pull recorder notes them, and checks that what
 * stays is fully pullable.
 */
abstract class ProxyCacheTestBase extends RegistryTestBase {
    static final Duration GRACE = Duration.ofHours(1);
    /** When the tests' content is cached; the registry's clock starts here. */
    static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    private long endpointId = -1;

    ProxyCacheTestBase(TestDatabase database) {
        super(database);
    }

    /** Creates a proxy project with a budget in bytes (null: none) and a maximum age (null: none). */
    void proxyProject(String name, Long sizeBudget, Duration maxAge) {
        registry.transactions().useTransaction(h -> {
            if (endpointId < 0) {
                h.execute("INSERT INTO registry_endpoint (name, type, urls, created_at, updated_at)"
                        + " VALUES ('upstream', 'v2', 'http://127.0.0.1:5001', ?, ?)", clock.instant(), clock.instant());
                endpointId = h.createQuery("SELECT id FROM registry_endpoint WHERE name = 'upstream'")
                        .mapTo(Long.class).one();
            }
            long id = h.attach(ProjectDao.class).create(name, true, clock.instant());
            ProxyProjectDao proxies = h.attach(ProxyProjectDao.class);
            proxies.insert(id, endpointId, null, 300, "serve", sizeBudget,
                    maxAge == null ? null : maxAge.toSeconds());
            proxies.markProxy(id);
        });
    }

    /** Changes a proxy project's budget (null: none). */
    void budget(String project, Long sizeBudget) {
        sql("UPDATE proxy_project SET size_budget = " + sizeBudget + " WHERE project_id = (SELECT id FROM project"
                + " WHERE name = '" + project + "')");
    }

    /** Caches an image as a pull through the proxy leaves it: its blobs linked, its manifest recorded. */
    StoredManifest cache(RepositoryName repository, String tag, Image image) throws IOException {
        uploadBlobs(repository, image);
        return registry.manifests().record(repository, tag == null ? List.of() : List.of(tag), OCI_MANIFEST,
                image.manifest(), Digest.Algorithm.SHA256, TestRegistries.TEST_CALLER);
    }

    /** Caches an index of {@code children} (cached first, untagged) under {@code tag}. */
    StoredManifest cacheIndex(RepositoryName repository, String tag, Image... children) throws IOException {
        List<String> descriptors = new ArrayList<>();
        for (Image child : children) {
            cache(repository, null, child);
            descriptors.add(ManifestJson.descriptor(OCI_MANIFEST, child.manifest()));
        }
        byte[] index = ManifestJson.utf8(ManifestJson.index(OCI_INDEX, null, descriptors.toArray(String[]::new)));
        return registry.manifests().record(repository, List.of(tag), OCI_INDEX, index, Digest.Algorithm.SHA256,
                TestRegistries.TEST_CALLER);
    }

    /** Notes a pull of the manifest at {@code at}, as the batched pull recorder writes it. */
    void pulled(RepositoryName repository, Digest digest, Instant at) {
        registry.transactions().useTransaction(h -> h.attach(ArtifactDao.class)
                .markPulled(List.of(repository.value()), List.of(digest.toString()), at));
    }

    /** An image whose one layer is {@code layer} (so that images can share it), with a config of its own. */
    static Image imageOf(String seed, byte[] layer) {
        byte[] config = ManifestJson.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}");
        byte[] manifest = ManifestJson.utf8(ManifestJson.image(OCI_MANIFEST, ManifestJson.descriptor(
                ManifestJson.OCI_CONFIG, config), null, ManifestJson.descriptor(ManifestJson.OCI_LAYER, layer)));
        return new Image(config, List.of(layer), manifest);
    }

    /** The bytes an image adds to a cache that holds nothing of it yet: config, layers and manifest. */
    static long bytes(Image image) {
        return image.config().length + image.layers().stream().mapToLong(l -> l.length).sum()
                + image.manifest().length;
    }

    /** An eviction whose released rows look released two grace periods ago, so a later sweep may remove their content. */
    CacheEviction eviction() throws IOException {
        return eviction("test");
    }

    CacheEviction eviction(String instance) throws IOException {
        BlobReclaimer reclaimer = new BlobReclaimer(registry.transactions(), new FilesystemBlobStore(paths()), GRACE,
                new MutableClock(Instant.now().minus(GRACE.multipliedBy(2))));
        return new CacheEviction(registry, reclaimer, new TaskLease(registry.transactions(),
                "cache-eviction", instance, Duration.ofMinutes(5), clock), GRACE, clock);
    }

    /** A sweep as of now, once every file in the store was written two grace periods ago. */
    BlobReclaimer.Swept sweepOnceEverythingIsOld() throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(GRACE.multipliedBy(2)));
        try (Stream<Path> files = Files.walk(paths().blobs())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, old);
            }
        }
        return new BlobReclaimer(registry.transactions(), new FilesystemBlobStore(paths()), GRACE,
                Clock.systemUTC()).sweep();
    }

    /** One run, which must not find the lease taken. */
    CacheEviction.Run run() throws IOException {
        return eviction().runOnce().orElseThrow();
    }

    /** Every manifest (children too) and blob of {@code reference} reads back, from a registry with cold caches. */
    void assertFullyPullable(RepositoryName repository, String reference) {
        assertFullyPullable(open(), repository, reference);
    }

    static void assertFullyPullable(Registry registry, RepositoryName repository, String reference) {
        try {
            StoredManifest manifest = registry.manifests().get(repository, Reference.parse(reference));
            ParsedManifest parsed = ManifestParser.parse(manifest.content(), manifest.mediaType());
            for (Descriptor blob : parsed.blobs()) {
                assertTrue(registry.blobs().size(repository, blob.digest()).isPresent(),
                        blob.digest() + " of " + repository + "@" + reference + " is not linked");
                assertEquals(blob.digest(), Digest.sha256(read(registry, blob.digest())), "content of " + blob.digest());
            }
            for (Descriptor child : parsed.children()) {
                assertFullyPullable(registry, repository, child.digest().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many artifacts the repository holds, as the database says. */
    long artifacts(RepositoryName repository) {
        return count("SELECT COUNT(*) FROM artifact a JOIN repository r ON r.id = a.repository_id WHERE r.name = '"
                + repository + "'");
    }

    /** Whether the repository holds the manifest, as the database says. */
    boolean holds(RepositoryName repository, Digest digest) {
        return count("SELECT COUNT(*) FROM artifact a JOIN repository r ON r.id = a.repository_id WHERE r.name = '"
                + repository + "' AND a.digest = '" + digest + "'") == 1;
    }

    /** Whether the repository links the blob, as the database says. */
    boolean links(RepositoryName repository, Digest digest) {
        return count("SELECT COUNT(*) FROM repository_blob rb JOIN repository r ON r.id = rb.repository_id"
                + " WHERE r.name = '" + repository + "' AND rb.digest = '" + digest + "'") == 1;
    }

    Registry open() {
        try {
            return open(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
