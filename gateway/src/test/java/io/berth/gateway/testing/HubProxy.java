package io.berth.gateway.testing;

import io.berth.store.content.ProjectKind;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.proxy.ProxyCache;
import io.berth.store.proxy.ProxyCounters;
import io.berth.store.proxy.ProxySettings;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.UpstreamClients;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The proxy project {@code hub} of a test's {@link RegistryServer}, wired as the composition root
 * wires proxy projects: a {@link ProxyCache} served for proxy projects, fetching on virtual
 * threads through the real upstream client ({@link UpstreamClients}) from a Docker Hub endpoint at
 * the URL the test gives (an emulation on 127.0.0.1). Its tags have no freshness window, so every
 * pull by tag after the first revalidates (or is served stale), unless fewer than 10 pulls are
 * left in the upstream's rate budget (the default floor); its circuit breaker never opens,
 * so one test's failures do not change what the next sees. Each test opens its own (the cache's
 * memory, the client's tokens and rate budget start empty) over the server's database and store,
 * which keep what earlier ones cached.
 */
public final class HubProxy implements AutoCloseable {
    public static final String PROJECT = "hub";
    private static final AtomicInteger SPOOLS = new AtomicInteger();

    private final RegistryServer server;
    private final UpstreamClients clients;
    private final ExecutorService fetches;
    private final Path spool;
    private final ProxyCache cache;

    private HubProxy(RegistryServer server, long endpointId, URI upstream, UpstreamClients.Options options,
                     Duration deadline) throws IOException {
        this.server = server;
        this.clients = new UpstreamClients(options);
        this.fetches = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("test-proxy-fetch-", 0).factory());
        this.spool = server.storage().resolve("proxy-spool-" + SPOOLS.incrementAndGet());
        RegistryEndpoint endpoint = new RegistryEndpoint(endpointId, "docker-hub-emulation",
                RegistryEndpoint.Type.DOCKER_HUB, List.of(upstream), false, null, null, null);
        ProxySettings settings = new ProxySettings(endpointId, List.of(), Duration.ZERO,
                ProxySettings.OnUpstreamMissing.SERVE, 0, null);
        ProxyCache.Options cacheOptions = new ProxyCache.Options(deadline, 10, Duration.ofSeconds(30),
                Duration.ofSeconds(10), RegistryServer.MAX_MANIFEST_SIZE, 10_000);
        this.cache = new ProxyCache(server.registry(),
                project -> PROJECT.equals(project) ? Optional.of(settings) : Optional.empty(),
                id -> clients.of(endpoint), fetches, spool, cacheOptions, Clock.systemUTC());
        server.registry().repositories().serve(ProjectKind.PROXY, cache);
    }

    /**
     * Makes {@code hub} a proxy project of a Docker Hub registry endpoint in the server's database
     * (once per server) and returns the endpoint's id; its stored URL is never used.
     */
    public static long createProject(RegistryServer server) {
        Transactions tx = server.registry().transactions();
        tx.useTransaction(h -> h.attach(ProjectDao.class).createIfAbsent(PROJECT, Instant.now()));
        long endpoint = ProxyFixtures.registryEndpoint(tx, "docker-hub-emulation", "docker-hub", "http://127.0.0.1:1");
        ProxyFixtures.makeProxy(tx, PROJECT, endpoint);
        server.registry().repositories().forget(PROJECT);
        return endpoint;
    }

    /** Serves {@code hub} from {@code upstream}, waiting on it {@code deadline} at most per request. */
    public static HubProxy open(RegistryServer server, long endpointId, URI upstream, UpstreamClients.Options options,
                                Duration deadline) throws IOException {
        return new HubProxy(server, endpointId, upstream, options, deadline);
    }

    /**
     * Upstream client options for these tests: timeouts long enough for a loaded machine but for
     * the idle one given, two tries of a failed request, {@code Retry-After} up to 10 s waited
     * for (longer ones fail at once), and a circuit breaker that never opens.
     */
    public static UpstreamClients.Options upstreamOptions(Duration idleTimeout) {
        return UpstreamClients.Options.defaults()
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20), idleTimeout)
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(10))
                .withCircuit(1000, 1000, 100f, Duration.ofSeconds(1), 1);
    }

    /** What the cache did (stale copies served, revalidations skipped for the rate budget, …). */
    public ProxyCounters counters() {
        return cache.counters();
    }

    /** Whether {@code repository} of {@code hub} (its name upstream, e.g. {@code library/alpine}) links the blob. */
    public boolean links(String repository, String digest) throws IOException {
        return server.registry().blobs().size(RepositoryName.parse(PROJECT + "/" + repository), Digest.parse(digest))
                .isPresent();
    }

    /** Whether the blob store holds the content at all, linked anywhere or not. */
    public boolean stores(String digest) throws IOException {
        try (InputStream in = server.registry().blobs().read(Digest.parse(digest))) {
            return in != null;
        } catch (NoSuchFileException absent) {
            return false;
        }
    }

    /** Files left in the spool directory (none once every fill is over). */
    public List<Path> spoolFiles() throws IOException {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }

    /** Stops the upstream client (aborting transfers under way), then waits for fetches to end. */
    @Override
    public void close() {
        clients.close();
        fetches.close();
    }
}
