package io.berth.gateway.testing;

import com.codahale.metrics.MetricRegistry;
import io.berth.gateway.GatewayConfig;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.http.GatewayMetrics;
import io.berth.gateway.http.GatewayServer;
import io.berth.gateway.http.Route;
import io.berth.gateway.mirror.Mirrors;
import io.berth.gateway.v2.V2Api;
import io.berth.store.Registry;
import io.berth.store.blob.BlobStore;
import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.blob.FilesystemUploadStore;
import io.berth.store.blob.StoragePaths;
import io.berth.store.event.PullRecorder;
import io.berth.store.meta.Admission;
import io.berth.store.testing.TestDatabases;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A real registry for one test class: an in-memory H2 database, blob storage in a temporary
 * folder, and the Netty gateway serving the V2 API on a free loopback port. Register it as a
 * static field so every test of the class talks to the same server:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RegistryServer SERVER = new RegistryServer();
 * }</pre>
 *
 * Tests share the server, so each should push into repositories whose names it owns. A class
 * that needs another blob store, configuration, an access check that refuses, or routes of its
 * own (served before the V2 API's) passes them to the constructor.
 */
public final class RegistryServer implements BeforeAllCallback, AfterAllCallback {
    /** The manifest size limit of both the gateway and the store, as in the default configuration. */
    public static final long MAX_MANIFEST_SIZE = 4L << 20;

    private final BlobStores blobStores;
    private final GatewayConfig config;
    private final AccessCheck accessCheck;
    private final List<Route> extraRoutes;
    private final MetricRegistry metrics = new MetricRegistry();
    private Function<Registry, Mirrors> mirrors = registry -> Mirrors.none();
    private Path storage;
    private Registry registry;
    private GatewayServer server;
    private V2Client client;

    /** Makes the blob store of a server from its storage folders. */
    @FunctionalInterface
    public interface BlobStores {
        BlobStore create(StoragePaths paths) throws IOException;
    }

    /** A server whose blobs live on the file system, as in production. */
    public RegistryServer() {
        this(FilesystemBlobStore::new);
    }

    /** A server whose blobs live in the given store (uploads still stream to the file system). */
    public RegistryServer(BlobStores blobStores) {
        this(blobStores, GatewayConfig.local(), AccessCheck.allowAll());
    }

    /** The default configuration with this access check, and these routes before the V2 API's. */
    public RegistryServer(AccessCheck accessCheck, Route... extraRoutes) {
        this(FilesystemBlobStore::new, GatewayConfig.local(), accessCheck, extraRoutes);
    }

    public RegistryServer(GatewayConfig config, AccessCheck accessCheck, Route... extraRoutes) {
        this(FilesystemBlobStore::new, config, accessCheck, extraRoutes);
    }

    private RegistryServer(BlobStores blobStores, GatewayConfig config, AccessCheck accessCheck, Route... extraRoutes) {
        this.blobStores = blobStores;
        this.config = config;
        this.accessCheck = accessCheck;
        this.extraRoutes = List.of(extraRoutes);
    }

    /** This server, routing reads through the mirrors made from its registry (none unless set). */
    public RegistryServer withMirrors(Function<Registry, Mirrors> mirrors) {
        this.mirrors = mirrors;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        storage = Files.createTempDirectory("berth-gateway-test");
        StoragePaths paths = new StoragePaths(storage);
        BlobStore blobs = blobStores.create(paths);
        registry = Registry.open(TestDatabases.h2(), blobs, new FilesystemUploadStore(paths, blobs),
                new Registry.Options(true, MAX_MANIFEST_SIZE, Duration.ofHours(24), Admission.unbounded(),
                        PullRecorder.Options.defaults()), Clock.systemUTC());
        Mirrors routing = mirrors.apply(registry);
        List<Route> routes = new ArrayList<>(extraRoutes);
        routes.addAll(V2Api.routes(registry, routing));
        server = new GatewayServer(config, routes, accessCheck, routing, new GatewayMetrics(metrics));
        server.start();
        client = new V2Client(URI.create("http://127.0.0.1:" + server.port()));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (storage != null) {
            try (Stream<Path> files = Files.walk(storage)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The V2 API client of this server (java.net.http, HTTP/1.1). */
    public V2Client client() {
        return client;
    }

    /** A new raw socket to the server, for requests an HTTP client would refuse to send. */
    public RawConnection connect() throws IOException {
        return RawConnection.open(server.port());
    }

    public GatewayServer gateway() {
        return server;
    }

    /** The metrics the gateway reports. */
    public MetricRegistry metrics() {
        return metrics;
    }

    public Registry registry() {
        return registry;
    }

    public int port() {
        return server.port();
    }

    /** The storage root, to check that nothing was left behind on disk. */
    public Path storage() {
        return storage;
    }
}
