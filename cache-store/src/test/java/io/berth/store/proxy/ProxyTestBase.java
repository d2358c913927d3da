package io.berth.store.proxy;

import io.berth.store.Registry;
import io.berth.store.blob.BlobContent;
import io.berth.store.content.ContentSource;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import io.berth.store.upstream.RegistryEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Base of the pull-through cache's tests: a registry over a fresh database of the subclass's kind,
 * a proxy project {@code hub} mirroring a {@link FakeUpstream}, and a {@link ProxyCache} over
 * them with a generous deadline (tests that need a short one open their own cache).
 */
public abstract class ProxyTestBase extends RegistryTestBase {
    protected static final String PROJECT = "hub";
    /** Long enough never to pass on a loaded machine; stall tests use {@link #cacheWithDeadline}. */
    protected static final Duration GENEROUS = Duration.ofSeconds(60);

    protected final Map<String, ProxySettings> settings = new ConcurrentHashMap<>();
    protected FakeUpstream upstream;
    protected ExecutorService executor;
    protected ProxyCache proxy;

    protected ProxyTestBase(TestDatabase database) {
        super(database);
    }

    /** The kind of registry the fake upstream is. */
    protected RegistryEndpoint.Type upstreamType() {
        return RegistryEndpoint.Type.V2;
    }

    @BeforeEach
    void openProxy() throws IOException {
        createProject(PROJECT);
        sql("UPDATE project SET kind = 'proxy' WHERE name = '" + PROJECT + "'");
        upstream = new FakeUpstream(upstreamType());
        settings.put(PROJECT, settings(List.of(), ProxySettings.OnUpstreamMissing.SERVE));
        executor = Executors.newVirtualThreadPerTaskExecutor();
        proxy = cacheWithDeadline(GENEROUS);
    }

    @AfterEach
    void closeProxy() {
        upstream.releaseAll();
        executor.close(); // waits for fills and revalidations still running, before the database goes
    }

    protected static ProxySettings settings(List<String> allowlist, ProxySettings.OnUpstreamMissing onMissing) {
        return new ProxySettings(7, allowlist, Duration.ofMinutes(5), onMissing, 0, null);
    }

    /** Another cache over the same registry, upstream and settings, whose requests wait at most {@code deadline}. */
    protected ProxyCache cacheWithDeadline(Duration deadline) throws IOException {
        return cacheOver(registry, deadline);
    }

    /** A cache as {@link #cacheWithDeadline} makes, over another registry of the same database. */
    protected ProxyCache cacheOver(Registry over, Duration deadline) throws IOException {
        ProxyCache.Options options = new ProxyCache.Options(deadline, 10, Duration.ofSeconds(30), Duration.ofSeconds(10),
                MAX_MANIFEST, 10_000);
        return new ProxyCache(over, project -> Optional.ofNullable(settings.get(project)), id -> upstream,
                executor, spool().resolveSibling("spool-" + deadline.toMillis()), options, clock);
    }

    /**
     * Until no fill of the default cache runs (30 s at most): a verified blob is stored (fsync,
     * rename, links) after its readers got their last byte, so a GET that should find it stored waits.
     */
    protected void awaitFillsOver() throws InterruptedException {
        for (int i = 0; i < 600 && proxy.counters().blobFillsRunning() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, proxy.counters().blobFillsRunning(), "a fill still runs after 30 s");
    }

    /** Where the default cache spools blob fills. */
    protected Path spool() {
        return storage.resolve("spool");
    }

    protected ContentSource source(String name) {
        return proxy.apply(RepositoryName.parse(name));
    }

    /** Puts an image's blobs and manifest (under {@code tag}) into the fake upstream's {@code repository}. */
    protected Digest upstreamImage(String repository, String tag, Image image) {
        upstream.putBlob(image.config());
        image.layers().forEach(upstream::putBlob);
        return upstream.putManifest(repository, tag, OCI_MANIFEST, image.manifest());
    }

    /** Reads a span opened for serving to its end, as the gateway does. */
    protected static byte[] readAll(BlobContent content) throws IOException {
        try (content) {
            if (content instanceof BlobContent.LocalFile file) {
                ByteBuffer buffer = ByteBuffer.allocate((int) file.length());
                long position = file.position();
                while (buffer.hasRemaining()) {
                    int n = file.file().read(buffer, position);
                    if (n < 0) {
                        break;
                    }
                    position += n;
                }
                return buffer.array();
            }
            ReadableByteChannel channel = ((BlobContent.Stream) content).channel();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        }
    }

    /** Files in a spool directory (none once every fill is over). */
    protected static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
