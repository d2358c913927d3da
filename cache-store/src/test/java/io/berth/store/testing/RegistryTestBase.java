package io.berth.store.testing;

import io.berth.store.ManifestPush;
import io.berth.store.Registry;
import io.berth.store.StoredManifest;
import io.berth.store.blob.StoragePaths;
import io.berth.store.blob.UploadStore;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.event.EventLog;
import io.berth.store.event.RegistryEvent;
import io.berth.store.meta.ProjectDao;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.berth.store.testing.ManifestJson.OCI_CONFIG;
import static io.berth.store.testing.ManifestJson.OCI_LAYER;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.descriptor;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Base of contract tests of the {@link Registry} services: a registry over a fresh database of
 * the subclass's kind and a temporary storage root, a hand-moved clock, and helpers that upload
 * blobs and build images the way a client would.
 */
public abstract class RegistryTestBase extends DatabaseTestBase {
    public static final int MAX_MANIFEST = 4 << 20;

    @TempDir
    protected Path storage;
    protected final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    protected Registry registry;

    protected RegistryTestBase(TestDatabase database) {
        super(database);
    }

    private final List<Registry> opened = new ArrayList<>();

    @BeforeEach
    void openRegistry() throws IOException {
        registry = open(true);
    }

    @AfterEach
    void closeRegistries() {
        opened.forEach(Registry::close);
    }

    /** Opens another registry over the same database and storage (as a restart or a second instance would). */
    protected Registry open(boolean autoCreateProjects) throws IOException {
        return closedAfterTheTest(TestRegistries.onFilesystem(dataSource, storage, autoCreateProjects, MAX_MANIFEST,
                Duration.ofHours(24), clock));
    }

    /** A registry the test opened itself, closed after it as the others are. */
    protected Registry closedAfterTheTest(Registry registry) {
        opened.add(registry);
        return registry;
    }

    /** Where the filesystem stores keep blobs and upload sessions, to look at the files. */
    protected StoragePaths paths() {
        return new StoragePaths(storage);
    }

    protected static RepositoryName repo(String name) {
        return RepositoryName.parse(name);
    }

    protected static void assertFailure(ErrorCode failure, Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(failure, e.code(), e.getMessage());
    }

    /** Creates a project the way an administrator does, for registries without auto-creation. */
    protected void createProject(String name) {
        registry.transactions().useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent(name, clock.instant()));
    }

    /** Every event the registry recorded so far, oldest first. */
    protected List<RegistryEvent> events() {
        return new EventLog(registry.transactions()).after(0, 10_000);
    }

    /** Counts rows with a query such as {@code SELECT COUNT(*) FROM artifact}. */
    protected long count(String sql) {
        return registry.transactions().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** Runs a statement, such as DDL that makes the next write fail. */
    protected void sql(String statement) {
        registry.transactions().withHandle(h -> h.execute(statement));
    }

    /** Uploads {@code content} in two chunks and completes it under its sha256. */
    protected Digest upload(Registry into, RepositoryName repository, byte[] content) throws IOException {
        Digest digest = Digest.sha256(content);
        String id = into.blobs().startUpload(repository, Digest.Algorithm.SHA256);
        int half = content.length / 2;
        try (UploadStore.Chunk chunk = into.blobs().beginChunk(repository, id, 0)) {
            chunk.write(ByteBuffer.wrap(content, 0, half));
            chunk.commit();
        }
        try (UploadStore.Chunk chunk = into.blobs().beginChunk(repository, id, half)) {
            chunk.write(ByteBuffer.wrap(content, half, content.length - half));
            chunk.commit();
        }
        into.blobs().completeUpload(repository, id, digest);
        return digest;
    }

    protected Digest upload(RepositoryName repository, byte[] content) throws IOException {
        return upload(registry, repository, content);
    }

    /** An OCI image: config, layers and the manifest that names them. */
    public record Image(byte[] config, List<byte[]> layers, byte[] manifest) {
        public Digest digest() {
            return Digest.sha256(manifest);
        }

        public Digest configDigest() {
            return Digest.sha256(config);
        }

        public List<Digest> layerDigests() {
            return layers.stream().map(Digest::sha256).toList();
        }
    }

    /** A small OCI image whose content (and so digests) depends only on {@code seed}. */
    protected static Image image(String seed, int layerCount) {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}");
        List<byte[]> layers = new ArrayList<>();
        List<String> descriptors = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            byte[] layer = utf8("layer " + i + " of " + seed + " " + "x".repeat(100 * (i + 1)));
            layers.add(layer);
            descriptors.add(descriptor(OCI_LAYER, layer));
        }
        byte[] manifest = utf8(ManifestJson.image(OCI_MANIFEST, descriptor(OCI_CONFIG, config), null,
                descriptors.toArray(String[]::new)));
        return new Image(config, List.copyOf(layers), manifest);
    }

    protected static Image image(String seed) {
        return image(seed, 2);
    }

    /** Uploads the image's config and layers into {@code repository}. */
    protected void uploadBlobs(RepositoryName repository, Image image) throws IOException {
        upload(repository, image.config());
        for (byte[] layer : image.layers()) {
            upload(repository, layer);
        }
    }

    protected StoredManifest put(RepositoryName repository, String reference, byte[] manifest, String contentType)
            throws IOException {
        return registry.manifests().put(ManifestPush.of(repository, Reference.parse(reference), contentType, manifest,
                TestRegistries.TEST_CALLER));
    }

    /** Uploads the image's blobs and pushes its manifest under {@code reference} (a tag or digest). */
    protected StoredManifest push(RepositoryName repository, String reference, Image image) throws IOException {
        uploadBlobs(repository, image);
        return put(repository, reference, image.manifest(), OCI_MANIFEST);
    }

    protected static byte[] read(Registry registry, Digest digest) throws IOException {
        try (InputStream in = registry.blobs().read(digest)) {
            return in.readAllBytes();
        }
    }
}
