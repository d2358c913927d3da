package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.upstream.UpstreamClients.Options;
import io.berth.store.upstream.UpstreamException.Kind;

import java.net.ProxySelector;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;

/**
 * The {@link Upstream} of one registry endpoint, over the V2 API with the JDK's HTTP client
 * (HTTP/1.1, pooled connections, redirects followed by hand). It is safe to share between threads
 * and meant to be: {@link UpstreamClients} keeps one per endpoint. Every blob stream it hands out
 * holds one of the endpoint's request slots until it is closed, so callers must close them.
 */
public final class RegistryClient implements Upstream, AutoCloseable {
    /**
     * The JDK client reads sockets into buffers of this size (its default, 16 KiB, made a 256 MiB
     * layer take about three times as long as curl on loopback). It allocates a new heap buffer for
     * every read, so the size stays under half of G1's smallest region (1 MiB): a 512 KiB buffer is
     * a humongous object, and allocating and zeroing those (page faults, memset) took Berth's CPU
     * for a cold 1 GiB pull through a proxy project to ~4.5 s, against ~3.1 s at 256 KiB (bench/proxy's
     * image, 2 cores). It is read once, when the JDK's client is first used, so it is set before any
     * client is built; a value given on the command line wins.
     */
    static final int SOCKET_BUFFER = 256 << 10;

    static {
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", String.valueOf(SOCKET_BUFFER));
        }
    }

    /**
     * The client's own tasks (handing a body's buffers to its subscriber, a TLS handshake's
     * delegated work) run on its selector thread instead of a pool's: every subscriber and
     * publisher here returns at once ({@link StreamingBody} queues what arrives, upload bodies are
     * read on threads of their own by {@link SourcePublisher}), so nothing blocks that thread, and
     * a cold fill saves a thread hand-off per socket read. The JDK's HTTP client is designed for
     * such an executor: its tasks are meant never to block.
     */
    private static final Executor INLINE = Runnable::run;

    private final RegistryEndpoint endpoint;
    private final Options options;
    private final HttpClient http;
    private final UpstreamGuards guards;
    private final RateLimits rateLimits;
    private final Transport transport;
    private final UpstreamStats stats;
    private final RegistryWriter writer;

    /** A client for {@code endpoint}; IllegalArgumentException when its CA PEM cannot be read. */
    public RegistryClient(RegistryEndpoint endpoint, Options options) {
        this(endpoint, options, Clock.systemUTC());
    }

    RegistryClient(RegistryEndpoint endpoint, Options options, Clock clock) {
        this(endpoint, options, clock, new UpstreamStats());
    }

    /** A client that adds to {@code stats} (those of the client it replaces, when its endpoint changed). */
    RegistryClient(RegistryEndpoint endpoint, Options options, Clock clock, UpstreamStats stats) {
        this.endpoint = endpoint;
        this.stats = stats;
        this.options = options;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(options.connectTimeout())
                .proxy(ProxySelector.getDefault())
                .sslContext(TlsContexts.forEndpoint(endpoint))
                .executor(INLINE)
                .build();
        this.guards = new UpstreamGuards(endpoint.name(), options);
        this.rateLimits = new RateLimits(clock);
        Hops hops = new Hops(http, options, rateLimits::observe, stats);
        Authenticator auth = new Authenticator(endpoint.credential(),
                new TokenService(hops, endpoint.credential(), options.maxJsonSize(), clock), clock);
        this.transport = new Transport(endpoint, options, hops, auth, guards, rateLimits);
        this.writer = new RegistryWriter(endpoint, options, transport);
    }

    @Override
    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    /** The write side of this client (replication's pushes), sharing its connections, tokens, guards and counts. */
    public UpstreamWriter writer() {
        return writer;
    }

    @Override
    public Optional<ManifestHead> headManifest(String repository, String reference) throws UpstreamException {
        Reference ref = Reference.parse(reference);
        String what = "check the manifest " + named(repository, ref);
        return transport.execute(Call.head(path(repository, "/manifests/" + ref), ManifestAnswers.ACCEPT,
                pull(repository), what), r -> ManifestAnswers.head(r, ref, what));
    }

    @Override
    public Optional<Manifest> getManifest(String repository, String reference, long maxSize) throws UpstreamException {
        Reference ref = Reference.parse(reference);
        String what = "fetch the manifest " + named(repository, ref);
        return transport.execute(Call.get(path(repository, "/manifests/" + ref), ManifestAnswers.ACCEPT,
                pull(repository), what), r -> ManifestAnswers.get(r, ref, maxSize, what));
    }

    @Override
    public OptionalLong headBlob(String repository, Digest digest) throws UpstreamException {
        String what = "check the blob " + repository + "@" + digest;
        return transport.execute(Call.head(path(repository, "/blobs/" + digest), List.of(), pull(repository), what),
                r -> BlobAnswers.head(r, what));
    }

    @Override
    public Optional<BlobStream> getBlob(String repository, Digest digest, long offset) throws UpstreamException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative blob offset " + offset);
        }
        String what = "fetch the blob " + repository + "@" + digest + (offset > 0 ? " from byte " + offset : "");
        Call call = Call.get(path(repository, "/blobs/" + digest), List.of(), pull(repository), what);
        return transport.execute(offset > 0 ? call.withRange("bytes=" + offset + "-") : call,
                r -> BlobAnswers.get(r, offset, what));
    }

    @Override
    public Optional<TagPage> tags(String repository, String last, int limit) throws UpstreamException {
        StringBuilder query = new StringBuilder("/tags/list");
        String separator = "?";
        if (limit > 0) {
            query.append("?n=").append(limit);
            separator = "&";
        }
        if (last != null && !last.isEmpty()) {
            query.append(separator).append("last=").append(URLEncoder.encode(last, StandardCharsets.UTF_8));
        }
        String what = "list the tags of " + repository;
        return transport.execute(Call.get(path(repository, query.toString()), List.of("application/json"),
                pull(repository), what), r -> tagPage(r, limit, options.maxJsonSize(), what));
    }

    @Override
    public Optional<Manifest> referrers(String repository, Digest subject, String artifactType) throws UpstreamException {
        String query = artifactType == null || artifactType.isEmpty() ? ""
                : "?artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8);
        String what = "list the referrers of " + repository + "@" + subject;
        return transport.execute(Call.get(path(repository, "/referrers/" + subject + query),
                List.of(MediaTypes.OCI_INDEX), pull(repository), what),
                r -> ManifestAnswers.referrers(r, options.maxJsonSize(), what));
    }

    @Override
    public void ping() throws UpstreamException {
        String what = "reach the V2 API";
        transport.execute(Call.get("/v2/", List.of("application/json"), null, what), r -> {
            if (r.status() == 404) {
                throw new UpstreamException(Kind.INVALID_RESPONSE, 404, null, "it answers 404 for /v2/:"
                        + " it is not a Docker Registry V2 / OCI Distribution registry (check the URL)", null);
            }
            if (r.status() / 100 != 2) {
                throw r.unexpected(what);
            }
            r.discard();
            return null;
        });
    }

    @Override
    public Optional<RateLimit> rateLimit() {
        return rateLimits.last();
    }

    /** The circuit breaker's state: closed (asking), open (refusing at once) or half-open (probing). */
    public CircuitState circuitState() {
        return switch (guards.circuitState()) {
            case OPEN, FORCED_OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
            default -> CircuitState.CLOSED;
        };
    }

    /** Requests to this upstream in flight now, blob streams not yet closed included. */
    public int inFlight() {
        return guards.inFlight();
    }

    /** What this endpoint's requests came to: time to headers, statuses, transport failures. */
    public UpstreamStats stats() {
        return stats;
    }

    /** Lets requests under way finish but takes no new ones (the endpoint was changed or deleted). */
    void retire() {
        http.shutdown();
    }

    /** Stops the client, aborting requests and streams under way. */
    @Override
    public void close() {
        http.shutdownNow();
    }

    /** The states of an upstream's circuit breaker, for metrics. */
    public enum CircuitState {
        CLOSED, OPEN, HALF_OPEN
    }

    private static Optional<TagPage> tagPage(UpstreamResponse r, int limit, int maxSize, String what) throws UpstreamException {
        if (r.status() == 404) {
            return Optional.empty();
        }
        if (r.status() != 200) {
            throw r.unexpected(what);
        }
        NamePages.Page page = NamePages.read(r, "tags", Reference::isValidTag, limit, maxSize, what,
                "the upstream's tag list");
        return Optional.of(new TagPage(page.names(), page.more()));
    }

    static String path(String repository, String rest) {
        return "/v2/" + RepositoryName.parse(repository) + rest;
    }

    private static String pull(String repository) {
        return "repository:" + repository + ":pull";
    }

    static String named(String repository, Reference ref) {
        return repository + (ref.isDigest() ? "@" : ":") + ref;
    }
}
