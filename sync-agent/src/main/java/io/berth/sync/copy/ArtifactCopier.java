package io.berth.sync.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.oci.Digest;
import io.berth.store.oci.FallbackTag;
import io.berth.store.oci.MediaTypes;
import io.berth.store.upstream.BlobSourceException;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.Upstream.Manifest;
import io.berth.store.upstream.Upstream.ManifestHead;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Copies artifacts from a source registry to a destination through the V2 API only, as one
 * execution does: the destination's tag is compared by digest first (one {@code HEAD} on each side,
 * sent together, when it has the artifact already); then blobs ({@link BlobCopier}: a few at a time,
 * a {@code HEAD} at the destination, else a mount from another repository this execution copied the
 * blob to, else streamed from the source's {@code GET} into an upload, verified on the way), manifests byte-exact with children before their index (only the
 * selected platforms' children; the index unchanged, or with {@link CopySettings#rewriteSparseIndex}
 * replaced by an index of those children only, whose digest differs: {@link IndexRewriter}),
 * referrers after their subject, and the tag last: a failure anywhere leaves the destination's tag
 * as it was. Bytes sent are counted as they go, so a failed copy's count is known too. Shared by an
 * execution's tasks (its mount sources are); each call blocks on the network.
 */
public final class ArtifactCopier {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Upstream source;
    private final Upstream destination;
    private final UpstreamWriter writer;
    private final CopySettings settings;
    private final BlobCopier blobs;

    public ArtifactCopier(Upstream source, Upstream destination, UpstreamWriter writer, CopySettings settings) {
        this.source = source;
        this.destination = destination;
        this.writer = writer;
        this.settings = settings;
        this.blobs = new BlobCopier(source, destination, writer, settings);
    }

    /**
     * Copies {@code sourceRepository:reference} (a tag or digest) to {@code destRepository}, tagged
     * {@code destTag} (null: by digest only).
     *
     * @throws CancellationException {@code stopped} said stop
     * @throws BlobSourceException   the source's bytes could not be read or are not what they claim
     */
    public CopyOutcome copy(String sourceRepository, String reference, String destRepository, String destTag,
                            CopyLog log, BooleanSupplier stopped) throws UpstreamException, BlobSourceException {
        return copy(sourceRepository, reference, destRepository, destTag, log, stopped, new LongAdder());
    }

    /**
     * As {@link #copy(String, String, String, String, CopyLog, BooleanSupplier)}, adding to {@code sent}
     * the blob bytes handed to the destination as they go, so that they are known when the copy fails.
     */
    public CopyOutcome copy(String sourceRepository, String reference, String destRepository, String destTag,
                            CopyLog log, BooleanSupplier stopped, LongAdder sent)
            throws UpstreamException, BlobSourceException {
        checkStop(stopped);
        // Both sides are asked at once: a run with nothing to copy costs one round trip per tag, not two.
        Future<Optional<ManifestHead>> destHead = destTag == null ? null
                : Parallel.start(() -> destination.headManifest(destRepository, destTag));
        ManifestHead head = source.headManifest(sourceRepository, reference).orElseThrow(() -> new UpstreamException(
                Kind.INVALID_RESPONSE, 404, null, "the source has no manifest " + sourceRepository + ":" + reference
                + " (deleted since it was listed?)", null));
        Digest digest = head.digest();
        Optional<ManifestHead> there = Optional.empty();
        if (destTag != null) {
            there = Parallel.join(destHead);
            if (there.isPresent() && there.get().digest().equals(digest)) {
                log.add("skipped: " + destRepository + ":" + destTag + " points at " + digest + " already");
                return new CopyOutcome(false, digest, 0, 0);
            }
            if (there.isPresent() && !settings.override()) {
                log.add("skipped: " + destRepository + ":" + destTag + " points at " + there.get().digest()
                        + ", not " + digest + ", and the policy's override is off: turn it on to replace the tag");
                return new CopyOutcome(false, digest, 0, 0);
            }
        }
        Progress progress = new Progress(sourceRepository, destRepository, log, stopped, sent);
        Manifest top = copyManifest(progress, digest);
        if (destTag != null) {
            checkStop(stopped);
            if (there.isPresent() && there.get().digest().equals(top.digest())) {
                log.add("skipped: " + destRepository + ":" + destTag + " points at " + top.digest()
                        + " (the rewritten " + digest + ") already");
                return new CopyOutcome(false, digest, progress.bytesSent, progress.blobsSent);
            }
            writer.putManifest(destRepository, destTag, top.mediaType(), top.bytes());
            log.add("tagged " + destRepository + ":" + destTag + " → " + top.digest()
                    + (top.digest().equals(digest) ? "" : " (the source's " + digest + ", rewritten)"));
        }
        return new CopyOutcome(true, digest, progress.bytesSent, progress.blobsSent);
    }

    /**
     * Copies one manifest by digest, what it references first; returns it as the destination has it
     * now (the source's, or the rewritten index).
     */
    private Manifest copyManifest(Progress p, Digest digest) throws UpstreamException, BlobSourceException {
        checkStop(p.stopped);
        Manifest done = p.written.get(digest);
        if (done != null) {
            return done;
        }
        Future<Optional<ManifestHead>> destHead = Parallel.start(() -> destination.headManifest(p.destRepository,
                digest.toString()));
        Manifest manifest = source.getManifest(p.sourceRepository, digest.toString(), settings.maxManifestSize())
                .orElseThrow(() -> new UpstreamException(Kind.INVALID_RESPONSE, 404, null, "the source has no"
                        + " manifest " + p.sourceRepository + "@" + digest + " though it listed it", null));
        p.written.put(digest, manifest);
        Manifest toPut = manifest;
        if (Parallel.join(destHead).isPresent()) {
            p.log.add("manifest " + digest + " is at the destination already");
        } else {
            JsonNode json = parse(manifest, digest);
            boolean sparse = false;
            if (json.has("manifests") || MediaTypes.isIndex(manifest.mediaType())) {
                List<JsonNode> children = settings.platforms().children(json);
                sparse = children.size() < json.path("manifests").size();
                if (sparse) {
                    p.log.add("index " + digest + ": copying " + children.size() + " of " + json.path("manifests")
                            .size() + " children (" + settings.platforms() + "); the index is "
                            + (settings.rewriteSparseIndex() ? "rewritten to those" : "copied unchanged"));
                }
                List<JsonNode> entries = new ArrayList<>();
                boolean childRewritten = false;
                for (JsonNode child : children) {
                    Manifest copied = copyManifest(p, Digest.parse(child.path("digest").asText()));
                    childRewritten |= !copied.digest().toString().equals(child.path("digest").asText());
                    entries.add(IndexRewriter.entry(child, copied));
                }
                if (settings.rewriteSparseIndex() && (sparse || childRewritten)) {
                    byte[] bytes = IndexRewriter.rewrite(json, entries);
                    toPut = new Manifest(Digest.sha256(bytes), manifest.mediaType(), bytes);
                    p.written.put(digest, toPut);
                    p.log.add("index rewritten: source " + digest + " → destination " + toPut.digest() + " ("
                            + entries.size() + " of " + json.path("manifests").size() + " children; the digest"
                            + " changes, so clients pinned to the source's digest do not find it there)");
                }
            } else {
                List<JsonNode> blobs = new ArrayList<>();
                blobs.add(json.path("config"));
                json.path("layers").forEach(blobs::add);
                BlobCopier.Sent sent = this.blobs.copy(new BlobCopier.Target(p.sourceRepository, p.destRepository,
                        p.log, p.stopped, p.sent), blobs);
                p.bytesSent += sent.bytes();
                p.blobsSent += sent.blobs();
            }
            checkStop(p.stopped);
            try {
                writer.putManifest(p.destRepository, toPut.digest().toString(), toPut.mediaType(), toPut.bytes());
            } catch (UpstreamException e) {
                if (sparse && e.kind() == Kind.REJECTED && !settings.rewriteSparseIndex()) {
                    throw new UpstreamException(Kind.REJECTED, e.status(), null, e.registryCode().orElse(null), "the destination"
                            + " refused the index " + digest + " without the children the platform filter left out"
                            + " (it requires every child to be present): drop the platform filter, or let the"
                            + " destination accept sparse indexes (a Berth project's allowSparseIndexes), or set the"
                            + " policy's rewriteSparseIndex to push an index of the selected children only ("
                            + e.getMessage() + ")", e);
                }
                throw e;
            }
            p.log.add("put manifest " + toPut.digest() + " (" + toPut.mediaType() + ")");
        }
        if (settings.copyReferrers()) {
            copyReferrers(p, digest);
        }
        return toPut;
    }

    private void copyReferrers(Progress p, Digest subject) throws UpstreamException, BlobSourceException {
        String fallbackTag = FallbackTag.of(subject);
        // Asked together: the fallback tag is read whenever the referrers API lists none (or is missing).
        Future<Optional<Manifest>> fallback = Parallel.start(() -> source.getManifest(p.sourceRepository, fallbackTag,
                settings.maxManifestSize()));
        Optional<Manifest> referrers = source.referrers(p.sourceRepository, subject, null);
        boolean listedByApi = referrers.isPresent() && !parse(referrers.get(), subject).path("manifests").isEmpty();
        if (!listedByApi) {
            // No referrers API (Distribution 2.8, ...): the OCI fallback tag schema, an index tagged <alg>-<hex>.
            referrers = Parallel.join(fallback);
        }
        if (referrers.isEmpty()) {
            return;
        }
        for (JsonNode referrer : parse(referrers.get(), subject).path("manifests")) {
            Digest digest = Digest.parse(referrer.path("digest").asText());
            if (!p.written.containsKey(digest)) {
                p.log.add("referrer " + digest + " of " + subject + " (" + referrer.path("artifactType").asText("")
                        + ")");
                copyManifest(p, digest);
            }
        }
        if (listedByApi) {
            tagForDestinationsWithoutReferrersApi(p, subject, referrers.get());
        } else {
            Manifest index = referrers.get();
            Optional<ManifestHead> there = destination.headManifest(p.destRepository, fallbackTag);
            if (there.isEmpty() || !there.get().digest().equals(index.digest())) {
                writer.putManifest(p.destRepository, fallbackTag, index.mediaType(), index.bytes());
                p.log.add("tagged the referrers of " + subject + " as " + fallbackTag + " (fallback tag schema)");
            }
        }
    }

    /**
     * A source with the referrers API lists a subject's referrers itself; a destination without it
     * (its referrers endpoint answers 404 for a subject it holds) finds them only through the fallback
     * tag, which this keeps, merged with what it lists already.
     */
    private void tagForDestinationsWithoutReferrersApi(Progress p, Digest subject, Manifest listing)
            throws UpstreamException {
        if (destination.referrers(p.destRepository, subject, null).isPresent()) {
            return;
        }
        String tag = FallbackTag.of(subject);
        Optional<byte[]> index;
        try {
            index = FallbackTag.merge(destination.getManifest(p.destRepository, tag, settings.maxManifestSize())
                    .map(Manifest::bytes), listing.bytes());
        } catch (IOException e) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, 200, null, "the referrers of " + subject
                    + " are not an image index: " + e.getMessage(), null);
        }
        if (index.isPresent()) {
            writer.putManifest(p.destRepository, tag, FallbackTag.INDEX_MEDIA_TYPE, index.get());
            p.log.add("tagged the referrers of " + subject + " as " + tag + " (fallback tag schema: the destination"
                    + " has no referrers API)");
        }
    }

    private static JsonNode parse(Manifest manifest, Digest digest) throws UpstreamException {
        try {
            return JSON.readTree(manifest.bytes());
        } catch (IOException e) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, 200, null, "the source's manifest " + digest
                    + " is not JSON", null);
        }
    }

    private static void checkStop(BooleanSupplier stopped) {
        if (stopped.getAsBoolean()) {
            throw new CancellationException("the execution was stopped");
        }
    }

    /** One copy's state: where it reads and writes, what it did. */
    private static final class Progress {
        final String sourceRepository;
        final String destRepository;
        final CopyLog log;
        final BooleanSupplier stopped;
        /** The manifests this copy reached, by source digest, as the destination has them (rewritten or not). */
        final Map<Digest, Manifest> written = new HashMap<>();
        /** Blob bytes handed to the destination so far, failed pushes included. */
        final LongAdder sent;
        long bytesSent;
        int blobsSent;

        Progress(String sourceRepository, String destRepository, CopyLog log, BooleanSupplier stopped,
                 LongAdder sent) {
            this.sourceRepository = sourceRepository;
            this.destRepository = destRepository;
            this.log = log;
            this.stopped = stopped;
            this.sent = sent;
        }
    }
}
