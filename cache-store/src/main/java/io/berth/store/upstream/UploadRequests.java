package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.UpstreamClients.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static io.berth.store.upstream.UploadSession.pathOf;

/**
 * The requests of blob uploads into one repository of a registry: opening a session (or mounting
 * instead), sending a chunk or a whole blob, asking where a session stands, closing and cancelling
 * it. Opening goes through the endpoint's retries and failover; a session's own requests are sent
 * once each, to its location, and {@link BlobUpload} decides what follows a failure.
 */
final class UploadRequests {
    private static final Logger LOG = LoggerFactory.getLogger(UploadRequests.class);
    private static final String OCTETS = "application/octet-stream";

    private final Transport transport;
    private final RegistryEndpoint endpoint;
    private final Options options;
    private final String repository;
    private final String scope;

    UploadRequests(Transport transport, RegistryEndpoint endpoint, Options options, String repository) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.options = options;
        this.repository = repository;
        this.scope = "repository:" + repository + ":pull,push";
    }

    /** Where a session stands: its location, and the bytes it holds (empty when the registry did not say). */
    record Status(UploadSession session, OptionalLong stored) {
    }

    /**
     * Opens an upload session ({@code POST}); with {@code mount}, asks first for a mount of that blob
     * from {@code from}, with one token for both repositories. Empty when the blob was mounted.
     */
    Optional<UploadSession> open(Digest mount, String from) throws UpstreamException {
        String query = mount == null ? "" : "?mount=" + mount + "&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8);
        String what = mount == null ? "start an upload into " + repository
                : "mount the blob " + mount + " from " + from + " into " + repository;
        String scopes = mount == null ? scope : scope + " repository:" + from + ":pull";
        Call call = Call.write("POST", "/v2/" + repository + "/blobs/uploads/" + query, scopes, what, null);
        return transport.execute(call, r -> {
            if (mount != null && r.status() == 201) {
                WriteAnswers.stored(r, mount, null, what);
                r.discard();
                return Optional.empty();
            }
            if (r.status() != 202) {
                throw WriteAnswers.refused(r, what);
            }
            UploadSession session = UploadSession.opened(baseOf(r.uri()), r, what);
            r.discard();
            return Optional.of(session);
        });
    }

    /**
     * Sends a whole blob in the request that opens the session ({@code POST ?digest=} with the
     * bytes): empty when the registry stored it (201); else the session it opened instead (202,
     * the body ignored, as Distribution 2.8 does) and the bytes it says that session holds.
     */
    Optional<Status> postWhole(Digest digest, ChunkBodies blob, PushOptions push) throws UpstreamException,
            BlobSourceException {
        String what = "upload the blob " + digest + " into " + repository + " in one request";
        Duration timeout = options.headersTimeout().plusMillis(Math.max(0, blob.length()) * 1000 / push.minimumRate());
        Call call = Call.write("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, scope, what,
                new Call.Body(OCTETS, null, timeout, blob));
        try (blob) {
            return transport.execute(call, r -> {
                if (r.status() == 201) {
                    created(r, digest, what);
                    return Optional.empty();
                }
                if (r.status() != 202) {
                    throw WriteAnswers.refused(r, what);
                }
                Status opened = new Status(UploadSession.opened(baseOf(r.uri()), r, what), UploadSession.stored(r));
                r.discard();
                return Optional.of(opened);
            });
        } catch (UpstreamException e) {
            throw ours(blob, e);
        }
    }

    /** Sends one chunk ({@code PATCH} with its {@code Content-Range}): where the session stands after it. */
    Status patch(UploadSession session, ChunkBodies chunk, PushOptions push) throws UpstreamException,
            BlobSourceException {
        String what = "upload bytes " + chunk.offset() + " to " + (chunk.offset() + chunk.length()) + " of a blob into "
                + repository;
        String range = chunk.offset() + "-" + (chunk.offset() + chunk.length() - 1);
        return send("PATCH", session, session.location(), chunk, range, push, what, r -> {
            if (r.status() != 202) {
                throw WriteAnswers.refused(r, what);
            }
            Status status = new Status(session.movedBy(r, what), UploadSession.stored(r));
            r.discard();
            return status;
        });
    }

    /** Sends a whole blob in the request that closes the session ({@code PUT ?digest=} with the bytes). */
    void putWhole(UploadSession session, Digest digest, ChunkBodies blob, PushOptions push) throws UpstreamException,
            BlobSourceException {
        String what = "upload the blob " + digest + " into " + repository;
        send("PUT", session, session.withDigest(digest), blob, null, push, what, r -> created(r, digest, what));
    }

    /** Closes the session with the blob's digest ({@code PUT ?digest=}, no body): the registry commits it. */
    void close(UploadSession session, Digest digest) throws UpstreamException {
        String what = "complete the upload of the blob " + digest + " into " + repository;
        URI target = session.withDigest(digest);
        transport.once(session.base(), target, Call.write("PUT", pathOf(target), scope, what, null),
                r -> created(r, digest, what));
    }

    /** Where the session stands ({@code GET} its location); empty when the registry no longer knows it (404). */
    Optional<Status> status(UploadSession session) throws UpstreamException {
        String what = "ask where an upload into " + repository + " stands";
        return transport.once(session.base(), session.location(), Call.get(pathOf(session.location()), List.of(), scope,
                what), r -> {
            if (r.status() == 404) {
                r.discard();
                return Optional.empty();
            }
            if (r.status() != 204 && r.status() != 200) {
                throw WriteAnswers.refused(r, what);
            }
            Status status = new Status(session.movedBy(r, what), UploadSession.stored(r));
            r.discard();
            return Optional.of(status);
        });
    }

    /** Cancels the session ({@code DELETE}); a registry that will not is logged, never thrown. */
    void cancel(UploadSession session) {
        String what = "cancel an upload into " + repository;
        try {
            transport.once(session.base(), session.location(), Call.write("DELETE", pathOf(session.location()), scope,
                    what, null), r -> WriteAnswers.deleted(r, what));
        } catch (UpstreamException e) {
            LOG.warn("upstream '{}': an upload session into {} at {} could not be cancelled ({}); the registry drops it"
                    + " when its unfinished uploads expire", endpoint.name(), repository,
                    CredentialBoundary.origin(session.location()), e.getMessage());
        }
    }

    /** Whether the registry holds the blob, with that size ({@code HEAD}). */
    boolean holds(Digest digest, long size) throws UpstreamException {
        String what = "check the blob " + repository + "@" + digest;
        OptionalLong held = transport.execute(Call.head("/v2/" + repository + "/blobs/" + digest, List.of(), scope, what),
                r -> BlobAnswers.head(r, what));
        return held.isPresent() && held.getAsLong() == size;
    }

    private <T> T send(String method, UploadSession session, URI target, ChunkBodies bodies, String range,
                       PushOptions push, String what, Transport.Handler<T> handler)
            throws UpstreamException, BlobSourceException {
        // The whole body must go within the headers timeout plus its length at the slowest rate allowed.
        Duration timeout = options.headersTimeout().plusMillis(Math.max(0, bodies.length()) * 1000 / push.minimumRate());
        Call call = Call.write(method, pathOf(target), scope, what, new Call.Body(OCTETS, range, timeout, bodies));
        try (bodies) {
            return transport.once(session.base(), target, call, handler);
        } catch (UpstreamException e) {
            throw ours(bodies, e);
        }
    }

    /** What broke a body off on Berth's side (its source, a stop) rather than the registry's failure {@code e}. */
    private static UpstreamException ours(ChunkBodies bodies, UpstreamException e) throws BlobSourceException {
        Throwable ours = bodies.failure();
        if (ours instanceof BlobSourceException source) {
            throw source;
        }
        if (ours instanceof RuntimeException stopOrThrottle) {
            throw stopOrThrottle;
        }
        return e;
    }

    private static Void created(UpstreamResponse r, Digest digest, String what) throws UpstreamException {
        if (r.status() / 100 != 2) {
            throw WriteAnswers.refused(r, what);
        }
        WriteAnswers.stored(r, digest, null, what);
        r.discard();
        return null;
    }

    /** The endpoint URL a request answered on went to: the one on its origin whose path it is under. */
    private URI baseOf(URI answered) {
        List<URI> sameOrigin = endpoint.urls().stream().filter(u -> CredentialBoundary.sameOrigin(u, answered)).toList();
        return sameOrigin.stream().filter(u -> answered.getRawPath().startsWith(u.getRawPath() == null ? ""
                : u.getRawPath())).findFirst().or(() -> sameOrigin.stream().findFirst())
                .orElse(endpoint.urls().getFirst());
    }
}
