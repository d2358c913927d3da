package io.berth.store.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.oci.Reference;
import io.berth.store.upstream.Upstream.Manifest;
import io.berth.store.upstream.Upstream.ManifestHead;
import io.berth.store.upstream.UpstreamException.Kind;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an upstream's answers about manifests: a {@code HEAD}'s identity, a {@code GET}'s bytes
 * (bounded while they arrive, and checked against the digest asked for and the upstream's
 * {@code Docker-Content-Digest}), and a referrers index. Nothing unverified leaves this class.
 */
final class ManifestAnswers {
    /** Every manifest type Berth serves, indexes first (as Docker sends them). */
    static final List<String> ACCEPT = List.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);
    private static final Set<String> GENERIC_TYPES = Set.of("application/json", "application/octet-stream",
            "text/plain");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestAnswers() {
    }

    static Optional<ManifestHead> head(UpstreamResponse r, Reference reference, String what) throws UpstreamException {
        if (r.status() == 404) {
            return Optional.empty();
        }
        if (r.status() != 200) {
            throw r.unexpected(what);
        }
        Optional<Digest> announced = announcedDigest(r);
        if (reference.isDigest() && announced.isPresent() && !announced.get().equals(reference.digest().get())) {
            throw invalid("the upstream answered " + what + " with the digest " + announced.get());
        }
        Digest digest = announced.or(reference::digest).orElseThrow(() -> invalid("the upstream answered " + what
                + " without a Docker-Content-Digest header, so the manifest behind the tag is unknown"));
        return Optional.of(new ManifestHead(digest, r.mediaType().orElse(""), r.contentLength().orElse(-1)));
    }

    static Optional<Manifest> get(UpstreamResponse r, Reference reference, long maxSize, String what)
            throws UpstreamException {
        if (r.status() == 404) {
            return Optional.empty();
        }
        if (r.status() != 200) {
            throw r.unexpected(what);
        }
        Optional<Digest> announced = announcedDigest(r);
        byte[] bytes = r.readAtMost(maxSize, "the manifest of " + what);
        Digest.Algorithm algorithm = reference.digest().or(() -> announced).map(Digest::algorithm)
                .orElse(Digest.Algorithm.SHA256);
        Digest actual = Digest.of(algorithm, algorithm.newHasher().digest(bytes));
        if (reference.isDigest() && !actual.equals(reference.digest().get())) {
            throw invalid("the upstream's answer to " + what + " has the digest " + actual + ": wrong bytes, refused");
        }
        if (announced.isPresent() && !matches(bytes, announced.get())) {
            throw invalid("the upstream's answer to " + what + " does not match its Docker-Content-Digest "
                    + announced.get() + ": wrong bytes, refused");
        }
        return Optional.of(new Manifest(actual, mediaType(r, bytes), bytes));
    }

    /** A referrers index, or empty when the upstream has no referrers API or answered something else. */
    static Optional<Manifest> referrers(UpstreamResponse r, int maxSize, String what) throws UpstreamException {
        if (r.status() == 404 || r.status() == 405) {
            return Optional.empty();
        }
        if (r.status() != 200) {
            throw r.unexpected(what);
        }
        byte[] bytes = r.readAtMost(maxSize, "the referrers of " + what);
        if (!MediaTypes.OCI_INDEX.equals(mediaType(r, bytes))) {
            return Optional.empty();
        }
        return Optional.of(new Manifest(Digest.sha256(bytes), MediaTypes.OCI_INDEX, bytes));
    }

    private static Optional<Digest> announcedDigest(UpstreamResponse r) throws UpstreamException {
        Optional<String> header = r.header("Docker-Content-Digest").map(String::trim).filter(h -> !h.isEmpty());
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Optional<Digest> digest = Digest.tryParse(header.get());
        if (digest.isEmpty()) {
            throw invalid("the upstream sent a malformed Docker-Content-Digest header");
        }
        return digest;
    }

    private static boolean matches(byte[] bytes, Digest digest) {
        return Digest.of(digest.algorithm(), digest.algorithm().newHasher().digest(bytes)).equals(digest);
    }

    /** The media type of the Content-Type header, or of the JSON's {@code mediaType} when the header is generic. */
    private static String mediaType(UpstreamResponse r, byte[] bytes) {
        Optional<String> header = r.mediaType().filter(t -> !GENERIC_TYPES.contains(t));
        if (header.isPresent()) {
            return header.get();
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root != null && root.path("mediaType").isTextual()) {
                return root.path("mediaType").asText();
            }
        } catch (IOException notJson) {
            // fall through: the type stays unknown
        }
        return r.mediaType().orElse("");
    }

    private static UpstreamException invalid(String message) {
        return new UpstreamException(Kind.INVALID_RESPONSE, 0, null, message, null);
    }
}
