package io.berth.sync.copy;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.BlobSource;
import io.berth.store.upstream.PushOptions;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamWriter;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Manifests and tags of one registry in memory, for the deletion rules: read by {@code HEAD},
 * deleted as a registry of the chosen {@link Deletes} kind deletes them. Nothing else is offered.
 */
final class InMemoryRegistry implements Upstream, UpstreamWriter {
    /** How the registry answers deletes. */
    enum Deletes {
        /** By tag (only the tag) and by digest (with its tags), as Berth and OCI 1.1 registries do. */
        TAGS_AND_DIGESTS,
        /** By digest only; a tag delete is refused with 400, as CNCF Distribution 2.8 does. */
        DIGESTS_ONLY,
        /** By digest only; a tag delete answers 404 and changes nothing. */
        DIGESTS_ONLY_QUIETLY,
        /** Not at all (405 UNSUPPORTED). */
        NONE
    }

    static final String MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private final Deletes deletes;
    private final Set<String> manifests = new HashSet<>();
    private final Map<String, Digest> tags = new HashMap<>();

    InMemoryRegistry(Deletes deletes) {
        this.deletes = deletes;
    }

    /** A digest standing for a manifest named {@code name}. */
    static Digest digest(String name) {
        return Digest.sha256(name.getBytes(StandardCharsets.UTF_8));
    }

    /** Stores the manifest {@code digest} in {@code repository} under {@code tagNames}. */
    InMemoryRegistry with(String repository, Digest digest, String... tagNames) {
        manifests.add(repository + "@" + digest);
        for (String tag : tagNames) {
            tags.put(repository + ":" + tag, digest);
        }
        return this;
    }

    boolean hasTag(String repository, String tag) {
        return tags.containsKey(repository + ":" + tag);
    }

    boolean hasManifest(String repository, Digest digest) {
        return manifests.contains(repository + "@" + digest);
    }

    @Override
    public Optional<ManifestHead> headManifest(String repository, String reference) {
        Digest digest = reference.contains(":") ? Digest.parse(reference) : tags.get(repository + ":" + reference);
        return digest != null && hasManifest(repository, digest) ? Optional.of(new ManifestHead(digest, MEDIA_TYPE, 100))
                : Optional.empty();
    }

    @Override
    public boolean deleteManifest(String repository, String reference) throws UpstreamException {
        if (deletes == Deletes.NONE) {
            throw new UpstreamException(Kind.UNSUPPORTED, 405, null, "UNSUPPORTED", "deletes are turned off", null);
        }
        if (!reference.contains(":")) {
            return switch (deletes) {
                case TAGS_AND_DIGESTS -> tags.remove(repository + ":" + reference) != null;
                case DIGESTS_ONLY -> throw new UpstreamException(Kind.REJECTED, 400, null, "DIGEST_INVALID",
                        "provided digest did not match uploaded content", null);
                default -> false;
            };
        }
        Digest digest = Digest.parse(reference);
        tags.values().removeIf(digest::equals);
        return manifests.remove(repository + "@" + digest);
    }

    @Override
    public RegistryEndpoint endpoint() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Manifest> getManifest(String repository, String reference, long maxSize) {
        throw new UnsupportedOperationException();
    }

    @Override
    public OptionalLong headBlob(String repository, Digest digest) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<BlobStream> getBlob(String repository, Digest digest, long offset) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<TagPage> tags(String repository, String last, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Manifest> referrers(String repository, Digest subject, String artifactType) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void ping() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<RateLimit> rateLimit() {
        return Optional.empty();
    }

    @Override
    public boolean mountBlob(String repository, Digest digest, String fromRepository) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PushResult pushBlob(String repository, Digest digest, long size, BlobSource source, PushOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Digest putManifest(String repository, String reference, String mediaType, byte[] bytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<CatalogPage> catalog(String last, int limit) {
        throw new UnsupportedOperationException();
    }
}
