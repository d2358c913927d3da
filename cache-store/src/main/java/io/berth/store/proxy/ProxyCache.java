package io.berth.store.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.store.Registry;
import io.berth.store.content.ContentSource;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;
import io.berth.store.upstream.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The pull-through cache of proxy projects: the factory of their repositories'
 * {@link ContentSource}s, which the composition root registers with
 * {@code registry.repositories().serve(ProjectKind.PROXY, proxyCache)}. Making a source never
 * blocks; what a repository needs (its project's settings, its upstream, its names, the allowlist
 * check) is worked out on its first blocking call and kept a few seconds. Content is kept in the
 * registry's own store: manifests byte-exact, blobs verified, both linked into the local
 * repository like pushed ones, so a cached repository is served as any other.
 */
public final class ProxyCache implements Function<RepositoryName, ContentSource> {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyCache.class);

    /**
     * How the cache behaves.
     *
     * @param deadline        the longest a request waits on an upstream before it is answered from the
     *                        cache, or fails fast when nothing is cached (the issue asks for 5 s at most)
     * @param rateLimitFloor  below this many pulls left in the upstream's rate budget, tags are served from
     *                        the cache without revalidating; 0 never skips
     * @param listingTtl      how long upstream tag lists and referrers are kept
     * @param settingsTtl     how long a project's settings and a repository's resolution are kept
     * @param maxManifestSize the largest manifest fetched (the registry's own limit)
     * @param maxUpstreamTags the most tags read from an upstream for one tag list
     */
    public record Options(Duration deadline, long rateLimitFloor, Duration listingTtl, Duration settingsTtl,
                          long maxManifestSize, int maxUpstreamTags) {
        public Options {
            if (deadline.isNegative() || deadline.isZero() || listingTtl.isNegative() || settingsTtl.isNegative()
                    || rateLimitFloor < 0 || maxManifestSize < 1 || maxUpstreamTags < 1) {
                throw new IllegalArgumentException("proxy cache options out of range: " + this);
            }
        }

        /** A 5 s deadline, no revalidation below 10 pulls left, listings kept 30 s, settings 10 s. */
        public static Options defaults(long maxManifestSize) {
            return new Options(Duration.ofSeconds(5), 10, Duration.ofSeconds(30), Duration.ofSeconds(10),
                    maxManifestSize, 10_000);
        }
    }

    private final Function<String, Optional<ProxySettings>> settingsLookup;
    private final Function<Long, Upstream> upstreams;
    private final Options options;
    private final ProxyCounters counters = new ProxyCounters();
    private final ManifestCache manifests;
    private final ProxyBlobs blobs;
    private final UpstreamListings listings;
    private final Cache<String, Optional<ProxySettings>> settings;
    private final Cache<RepositoryName, ProxyContext> contexts;

    /**
     * @param registry  the store the cache keeps content in
     * @param settings  a proxy project's settings by project name, empty when it has none (blocking;
     *                  {@link #settingsIn} reads them from the database)
     * @param upstreams the client of a registry endpoint by id (blocking; one client per endpoint, shared)
     * @param executor  where fetches run, untied from any client: a virtual-thread executor, as each
     *                  blob fill holds its thread for the whole transfer
     * @param spoolDir  where blobs are written while fetched: on the blob store's file system, so a
     *                  verified blob is renamed into place; emptied of earlier runs' files here
     */
    public ProxyCache(Registry registry, Function<String, Optional<ProxySettings>> settings,
                      Function<Long, Upstream> upstreams, Executor executor, Path spoolDir, Options options,
                      Clock clock) throws IOException {
        this.settingsLookup = settings;
        this.upstreams = upstreams;
        this.options = options;
        this.manifests = new ManifestCache(registry.manifests(), registry.cachedTags(), executor, options, clock,
                counters);
        this.blobs = new ProxyBlobs(registry.blobs(), new BlobFills(registry.blobs(), executor, spoolDir, counters),
                executor, counters);
        this.listings = new UpstreamListings(registry.listings(), executor, options, counters);
        this.settings = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(options.settingsTtl()).build();
        this.contexts = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(options.settingsTtl()).build();
    }

    /** Reads proxy projects' settings from the database ({@link ProxyProjectDao}). */
    public static Function<String, Optional<ProxySettings>> settingsIn(Transactions tx) {
        return project -> tx.withHandle(h -> h.attach(ProxyProjectDao.class).find(project))
                .map(ProxyProjectRow::settings);
    }

    /** The content source of a repository of a proxy project; never blocks. */
    @Override
    public ContentSource apply(RepositoryName name) {
        return new ProxyContentSource(this, name, options.deadline());
    }

    /**
     * The content source of a repository of a proxy project for work no mirror client waits on (a
     * preheat): its calls wait on the upstream up to {@code patience} instead of the cache's deadline.
     * Never blocks.
     */
    public ContentSource source(RepositoryName name, Duration patience) {
        if (patience.isNegative() || patience.isZero()) {
            throw new IllegalArgumentException("patience must be positive: " + patience);
        }
        return new ProxyContentSource(this, name, patience);
    }

    /**
     * How a repository of a proxy project maps to its upstream, checked as a pull checks it (blocks on
     * the project's settings): NAME_UNKNOWN when the project is no proxy project or its allowlist
     * refuses the name, UPSTREAM_UNAVAILABLE when its upstream's client cannot be made.
     */
    public UpstreamNames resolve(RepositoryName name) {
        return context(name).names();
    }

    /** What the cache did since start. */
    public ProxyCounters counters() {
        return counters;
    }

    /** Forgets what is known of a project's settings, after they were changed here. */
    public void forget(String project) {
        settings.invalidate(project);
        contexts.asMap().keySet().removeIf(name -> name.project().equals(project));
    }

    Optional<ProxyContext> cachedContext(RepositoryName name) {
        return Optional.ofNullable(contexts.getIfPresent(name));
    }

    /**
     * What serving {@code name} needs; blocks on the settings lookup and the upstream factory (outside
     * the caches' locks). NAME_UNKNOWN for a name the allowlist refuses, without asking the upstream.
     */
    ProxyContext context(RepositoryName name) {
        ProxyContext known = contexts.getIfPresent(name);
        if (known != null) {
            return known;
        }
        String project = name.project();
        Optional<ProxySettings> found = settings.getIfPresent(project);
        if (found == null) {
            found = settingsLookup.apply(project);
            settings.put(project, found);
        }
        ProxySettings proxy = found.orElseThrow(() -> new RegistryException(ErrorCode.NAME_UNKNOWN, "project '"
                + project + "' is a proxy project without an upstream: an administrator must bind it to a registry"
                + " endpoint", name.value()));
        Upstream upstream = upstream(project, proxy.registryId());
        UpstreamNames names = UpstreamNames.of(name, upstream.endpoint().type());
        if (!Allowlist.of(proxy.allowlist()).allows(names.upstream())) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + names.upstream() + " is not in the"
                    + " allowlist of proxy project '" + project + "': ask an administrator to allow it", name.value());
        }
        ProxyContext context = new ProxyContext(project, proxy, upstream, names);
        contexts.put(name, context);
        return context;
    }

    private Upstream upstream(String project, long registryId) {
        Upstream upstream;
        try {
            upstream = upstreams.apply(registryId);
        } catch (RuntimeException e) {
            LOG.warn("proxy {}: the client of registry endpoint {} is not available: {}", project, registryId,
                    e.toString());
            upstream = null;
        }
        if (upstream == null) {
            throw new RegistryException(ErrorCode.UPSTREAM_UNAVAILABLE, "the upstream registry of proxy project '"
                    + project + "' is not available (registry endpoint " + registryId + "): ask an administrator"
                    + " to check it");
        }
        return upstream;
    }

    ManifestCache manifests() {
        return manifests;
    }

    ProxyBlobs blobs() {
        return blobs;
    }

    UpstreamListings listings() {
        return listings;
    }
}
