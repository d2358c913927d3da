package io.berth.store.upstream;

import io.berth.store.oci.Digest;

import java.util.List;
import java.util.Optional;

/**
 * One registry as replication writes to it, through the V2 API only: blobs uploaded (streamed,
 * chunked, resumed after a failure) or mounted from another repository of the same registry,
 * manifests put byte-exact, manifests deleted, and the catalog listed. The token dance asks for
 * {@code pull,push} (and {@code delete} to delete); credentials go to the registry's own origin and
 * a same-domain token realm only, as for reads. Every method blocks on the network: never call one
 * on an event loop. A failure of the registry is an {@link UpstreamException}; its kind
 * {@code REJECTED} (with the registry's {@link UpstreamException#registryCode code}) means the
 * registry refused what was sent, {@code UNSUPPORTED} that it does not offer the operation.
 */
public interface UpstreamWriter {
    /**
     * Mounts a blob from {@code fromRepository} into {@code repository} on the same registry
     * ({@code POST ?mount=&from=}, one token for both repositories). True when the registry mounted
     * it (201); false when it refused (202: it started an upload instead, which is cancelled here).
     */
    boolean mountBlob(String repository, Digest digest, String fromRepository) throws UpstreamException;

    /**
     * Uploads a blob of {@code size} bytes read from {@code source}, without holding it in memory: in
     * one {@code PUT} below {@link PushOptions#monolithicLimit} (in the {@code POST ?digest=} that
     * opens the session where the registry takes that: one round trip, not two), else in {@code PATCH} chunks of
     * {@link PushOptions#chunkSize} (at least the registry's {@code OCI-Chunk-Min-Length}) closed by a
     * {@code PUT ?digest=}. A chunk that fails (connection cut, 5xx, time-out) is resumed from where the
     * registry says its upload stands, not restarted; a session the registry lost is started again.
     * The bytes are hashed as they are sent: bytes that do not match {@code digest} are never completed
     * (the session is cancelled, nothing is committed). With {@link PushOptions#mountFrom} it first asks
     * for a mount and uploads into the session the registry opens when it refuses one.
     *
     * @throws BlobSourceException           the source failed, or its bytes are not the blob's
     * @throws java.util.concurrent.CancellationException {@link PushOptions#stopped} said stop (the session is cancelled)
     */
    PushResult pushBlob(String repository, Digest digest, long size, BlobSource source, PushOptions options)
            throws UpstreamException, BlobSourceException;

    /**
     * Puts a manifest's bytes as they are under a tag or its digest, and returns the digest the
     * registry gave it, checked to be the digest of {@code bytes}. Safe to retry (same bytes, same
     * digest), so it is, like a read.
     */
    Digest putManifest(String repository, String reference, String mediaType, byte[] bytes) throws UpstreamException;

    /**
     * Deletes a manifest by digest, or a tag (where the registry allows deleting tags); false when the
     * registry does not have it. A registry that does not allow deletes fails with {@code UNSUPPORTED}.
     */
    boolean deleteManifest(String repository, String reference) throws UpstreamException;

    /**
     * A page of the registry's repositories ({@code GET /v2/_catalog}) after {@code last} (null: from
     * the start), at most {@code limit} (0: the registry's own page size); empty when the registry has
     * no catalog or does not let these credentials list it (404, {@code UNSUPPORTED}, a token without
     * the {@code registry:catalog:*} scope, as on Docker Hub).
     */
    Optional<CatalogPage> catalog(String last, int limit) throws UpstreamException;

    /**
     * What a blob push came to.
     *
     * @param mounted   whether the registry mounted it from {@link PushOptions#mountFrom} (nothing was sent)
     * @param bytesSent the body bytes sent, the ones sent again after a failure included
     * @param resumes   how many times the upload was resumed or started again after a failure
     */
    record PushResult(boolean mounted, long bytesSent, int resumes) {
    }

    /** Repository names in the registry's order, and whether the registry has more after them. */
    record CatalogPage(List<String> repositories, boolean more) {
        public CatalogPage {
            repositories = List.copyOf(repositories);
        }
    }
}
