package io.berth.store.upstream;

import io.berth.store.oci.Digest;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One upstream registry as the proxy and replication read it, through the V2 API: the token dance,
 * redirects, retries, failover between the endpoint's URLs, rate limits and the circuit breaker
 * are the implementation's business. Repository names are the upstream's own (for Docker Hub,
 * already normalised to {@code library/<name>}). A 404 (an unknown name, manifest or blob) is an
 * empty answer, never an exception; every other failure is an {@link UpstreamException}. Every
 * method blocks on the network: never call one on an event loop.
 */
public interface Upstream {
    /** The endpoint this reaches. */
    RegistryEndpoint endpoint();

    /** {@code HEAD} of a manifest by tag or digest (not counted by Docker Hub's pull limit). */
    Optional<ManifestHead> headManifest(String repository, String reference) throws UpstreamException;

    /**
     * {@code GET} of a manifest by tag or digest, whole, with every manifest media type accepted.
     * Its bytes are checked against the digest asked for (a digest reference) and against the
     * upstream's {@code Docker-Content-Digest}; larger than {@code maxSize} bytes is refused.
     */
    Optional<Manifest> getManifest(String repository, String reference, long maxSize) throws UpstreamException;

    /** {@code HEAD} of a blob: its size. */
    OptionalLong headBlob(String repository, Digest digest) throws UpstreamException;

    /**
     * {@code GET} of a blob from {@code offset} (a {@code Range} request when above zero), following
     * redirects to blob storage without sending credentials there. The stream has no time limit as
     * a whole, only between bytes; the caller verifies the digest and closes it.
     */
    Optional<BlobStream> getBlob(String repository, Digest digest, long offset) throws UpstreamException;

    /** A page of tags in the upstream's order, after {@code last} (null: from the start), at most {@code limit}. */
    Optional<TagPage> tags(String repository, String last, int limit) throws UpstreamException;

    /**
     * The referrers of a manifest (an OCI image index), through the referrers API; empty when the
     * upstream has no such API or knows no such manifest.
     */
    Optional<Manifest> referrers(String repository, Digest subject, String artifactType) throws UpstreamException;

    /** Whether the upstream answers {@code GET /v2/} with the credentials (the admin API's ping). */
    void ping() throws UpstreamException;

    /** The pull budget the upstream reported last ({@code ratelimit-*} headers), when it did. */
    Optional<RateLimit> rateLimit();

    /** A manifest's identity as a {@code HEAD} reports it. */
    record ManifestHead(Digest digest, String mediaType, long size) {
    }

    /** A manifest's bytes, verified against {@code digest}. */
    record Manifest(Digest digest, String mediaType, byte[] bytes) {
    }

    /** A blob's body from {@code offset}: {@code length} bytes (the rest of the blob) of a blob of {@code size}. */
    record BlobStream(InputStream body, long offset, long length, long size) implements AutoCloseable {
        @Override
        public void close() throws java.io.IOException {
            body.close();
        }
    }

    /** Tags, and whether the upstream has more after them. */
    record TagPage(List<String> tags, boolean more) {
        public TagPage {
            tags = List.copyOf(tags);
        }
    }

    /**
     * A pull budget: {@code limit} pulls per {@code windowSeconds}, {@code remaining} of them left.
     *
     * @param source who the budget belongs to ({@code ratelimit-source}), or null
     */
    record RateLimit(long limit, long remaining, long windowSeconds, String source) {
    }
}
