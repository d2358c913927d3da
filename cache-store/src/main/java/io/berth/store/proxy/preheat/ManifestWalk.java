package io.berth.store.proxy.preheat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.StoredManifest;
import io.berth.store.content.ContentSource;
import io.berth.store.manifest.ManifestParser;
import io.berth.store.manifest.ParsedManifest;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.oci.Reference;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a reference's manifests through a proxy repository's content source, which caches each
 * as it is read: the manifest, and for an index the children of the platforms asked for (all of
 * them when none were), down to nested indexes. Collects the blobs the image manifests reference.
 */
final class ManifestWalk {
    /** How deep indexes may nest (an index of indexes is rare; deeper is refused). */
    static final int MAX_DEPTH = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Told of each manifest before it is read, and once it is cached. */
    interface Listener {
        void found(int manifests);

        void fetched();
    }

    /**
     * What a reference resolved to.
     *
     * @param digest the digest of the manifest the reference names
     * @param blobs  the distinct blobs of the image manifests fetched, by digest
     */
    record Result(Digest digest, Map<Digest, Descriptor> blobs) {
    }

    private final ContentSource source;
    private final List<Platform> platforms;
    private final Listener listener;
    private final Map<Digest, Descriptor> blobs = new LinkedHashMap<>();

    private ManifestWalk(ContentSource source, List<Platform> platforms, Listener listener) {
        this.source = source;
        this.platforms = platforms;
        this.listener = listener;
    }

    /** Fetches what {@code reference} names; fails with the source's errors, or {@link PreheatFailure}. */
    static Result walk(ContentSource source, Reference reference, List<Platform> platforms, Listener listener)
            throws IOException {
        ManifestWalk walk = new ManifestWalk(source, platforms, listener);
        listener.found(1);
        StoredManifest top = walk.fetch(reference);
        walk.visit(top, 0);
        return new Result(top.digest(), walk.blobs);
    }

    private StoredManifest fetch(Reference reference) throws IOException {
        StoredManifest manifest = source.manifest(reference);
        listener.fetched();
        return manifest;
    }

    private void visit(StoredManifest manifest, int depth) throws IOException {
        ParsedManifest parsed = ManifestParser.parse(manifest.content(), manifest.mediaType());
        if (!parsed.isIndex()) {
            parsed.blobs().forEach(blob -> blobs.putIfAbsent(blob.digest(), blob));
            return;
        }
        if (depth >= MAX_DEPTH) {
            throw new PreheatFailure("index " + manifest.digest() + " is nested more than " + MAX_DEPTH
                    + " deep; Berth does not follow it further");
        }
        List<Digest> children = children(manifest, depth == 0);
        listener.found(children.size());
        for (Digest child : children) {
            visit(fetch(Reference.of(child)), depth + 1);
        }
    }

    /**
     * The children of an index to fetch: all of them without platforms; else those of a platform
     * asked for, and nested indexes (which carry no platform of their own). At the top an index with
     * none of the platforms fails, naming those it has.
     */
    private List<Digest> children(StoredManifest index, boolean top) throws IOException {
        JsonNode entries = JSON.readTree(index.content()).path("manifests");
        List<Digest> selected = new ArrayList<>();
        List<String> offered = new ArrayList<>();
        for (JsonNode entry : entries) {
            Digest digest = Digest.parse(entry.path("digest").asText());
            JsonNode platform = entry.get("platform");
            if (platforms.isEmpty() || MediaTypes.isIndex(entry.path("mediaType").asText())
                    || platforms.stream().anyMatch(p -> p.matches(platform))) {
                selected.add(digest);
            } else {
                offered.add(Platform.describe(platform));
            }
        }
        if (selected.isEmpty() && top && !platforms.isEmpty()) {
            throw new PreheatFailure("index " + index.digest() + " has no manifest for " + platforms.stream()
                    .map(Platform::toString).collect(Collectors.joining(", ")) + "; it has "
                    + (offered.isEmpty() ? "none" : String.join(", ", offered.stream().distinct().toList())));
        }
        return selected;
    }
}
